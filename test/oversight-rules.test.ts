import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFixtureRegion, testServer, type TestServer } from '../src/server/testing.ts';
import { verifyRecord } from '../src/store/audit.ts';
import { eventsOf } from '../src/store/events.ts';
import { Scope } from '../src/store/scope.ts';
import { TEST_DATABASE_URL, testBackends } from '../src/store/testing.ts';

/*
 * The oversight rules edited per province and year over HTTP, on both back-ends: who may read
 * and change them, validation with Chinese messages, the change in the hash-chained record
 * with who, when, old and new, and the rules in force following the change (the 15 % line
 * moves the indicator's verdict). Then the measures a year's figures suggest.
 */
if (!TEST_DATABASE_URL)
  console.warn('oversight-rules: TEST_DATABASE_URL not set, the PostgreSQL-server half is not run');

describe.each(testBackends())('oversight rules and suggested measures on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  let s: TestServer;
  const clock = new Date('2026-11-20T02:00:00.000Z');
  const cookies: Record<string, string> = {};

  const req = async (user: string, method: 'GET' | 'PUT', url: string, payload?: unknown) => {
    const r = await s.app.inject({
      method,
      url,
      headers: { cookie: cookies[user] },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: r.statusCode, body: r.json() };
  };

  beforeAll(async () => {
    db = await backend.open();
    await seedFixtureRegion(db);
    s = await testServer(db, { now: () => clock });
    for (const u of ['admin', 'province', 'reviewer', 'zezhou', 'village'])
      cookies[u] = await s.login(u);
  }, 60_000);
  afterAll(async () => {
    await s?.close();
    await db?.drop();
  });

  it('shows the national defaults to the offices of the province; not to a village chief, nor another province', async () => {
    const r = await req('zezhou', 'GET', '/api/oversight/config?province=14&year=2026');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      province: '14',
      year: 2026,
      provinceLayer: null,
      yearLayer: null,
      history: [],
      defaults: { illegalRatio: { thresholdPercent: 15, areaFloorMu: 0, warningShare: 0.8 } },
      effective: {
        sanctions: { subtypes: ['new', 'legacy'], redesignationMonths: 6 },
        scorecard: { patrolWeeks: 13 },
      },
    });
    expect(
      (await req('village', 'GET', '/api/oversight/config?province=14&year=2026')).status,
    ).toBe(403);
    expect(
      (await req('province', 'GET', '/api/oversight/config?province=13&year=2026')).status,
    ).toBe(403);
  });

  it('a province monitor changes the year’s line and floor; recorded with who, when, old and new', async () => {
    const change = {
      province: '14',
      year: 2026,
      config: { illegalRatio: { thresholdPercent: 10, areaFloorMu: 50 } },
    };
    // County officers and city reviewers read the rules; they do not change them.
    expect((await req('zezhou', 'PUT', '/api/oversight/config', change)).status).toBe(403);
    expect((await req('reviewer', 'PUT', '/api/oversight/config', change)).status).toBe(403);

    const r = await req('province', 'PUT', '/api/oversight/config', change);
    expect(r.status).toBe(200);
    expect(r.body.yearLayer).toEqual(change.config);
    expect(r.body.effective.illegalRatio).toEqual({
      thresholdPercent: 10,
      areaFloorMu: 50,
      warningShare: 0.8,
    });
    expect(r.body.history).toEqual([
      expect.objectContaining({
        at: clock.toISOString(),
        byName: 'province',
        year: 2026,
        old: null,
        new: change.config,
      }),
    ]);
    // Another year keeps the national line.
    const y2025 = await req('province', 'GET', '/api/oversight/config?province=14&year=2025');
    expect(y2025.body.effective.illegalRatio.thresholdPercent).toBe(15);

    // The administrator changes it again: the record has both, the second with the old layer.
    const again = await req('admin', 'PUT', '/api/oversight/config', {
      ...change,
      config: { illegalRatio: { thresholdPercent: 12 } },
    });
    expect(again.body.history.map((h: { old: unknown }) => h.old)).toEqual([change.config, null]);
    const events = await eventsOf(db, Scope.system(), 'oversight_config', '14-2026');
    expect(events.map((e) => e.type)).toEqual([
      'oversight.config_changed',
      'oversight.config_changed',
    ]);
    expect(events[1].payload).toMatchObject({
      province: '14',
      year: 2026,
      new: { illegalRatio: { thresholdPercent: 12 } },
    });
    expect((await verifyRecord(db)).ok).toBe(true);

    // The province's own layer (every year) under the year's.
    const prov = await req('province', 'PUT', '/api/oversight/config', {
      province: '14',
      year: null,
      config: { sanctions: { redesignationMonths: 3 } },
    });
    expect(prov.status).toBe(200);
    expect(prov.body.provinceLayer).toEqual({ sanctions: { redesignationMonths: 3 } });
    const in2026 = await req('zezhou', 'GET', '/api/oversight/config?province=14&year=2026');
    expect(in2026.body.effective.sanctions.redesignationMonths).toBe(3);
    expect(in2026.body.effective.illegalRatio.thresholdPercent).toBe(12);
    // {} removes a layer.
    await req('province', 'PUT', '/api/oversight/config', {
      province: '14',
      year: 2026,
      config: {},
    });
    const back = await req('province', 'GET', '/api/oversight/config?province=14&year=2026');
    expect(back.body.yearLayer).toBeNull();
    expect(back.body.effective.illegalRatio.thresholdPercent).toBe(15);
  });

  it('refuses bad rules with Chinese messages naming the field; nothing is stored', async () => {
    const bad = async (config: unknown, field: string, words: RegExp) => {
      const r = await req('province', 'PUT', '/api/oversight/config', {
        province: '14',
        year: 2027,
        config,
      });
      expect(r.status, JSON.stringify(config)).toBe(400);
      expect(r.body.error.field).toBe(field);
      expect(r.body.error.message).toMatch(/^督察规则配置/);
      expect(r.body.error.message).toMatch(words);
    };
    await bad(
      { illegalRatio: { thresholdPercent: 150 } },
      'config.illegalRatio.thresholdPercent',
      /不能大于 100/,
    );
    await bad(
      { illegalRatio: { warningShare: 0 } },
      'config.illegalRatio.warningShare',
      /不能小于|格式|填写/,
    );
    await bad({ sanctions: { subtypes: [] } }, 'config.sanctions.subtypes', /至少 1 项/);
    await bad(
      { sanctions: { redesignationMonths: 'six' } },
      'config.sanctions.redesignationMonths',
      /格式不正确/,
    );
    await bad(
      { illegalRatio: { thresholdPct: 10 } },
      'config.illegalRatio.thresholdPct',
      /不是可配置的规则项/,
    );
    const noProvince = await req('province', 'PUT', '/api/oversight/config', {
      year: 2027,
      config: {},
    });
    expect(noProvince.body.error).toMatchObject({ field: 'province' });
    expect(noProvince.body.error.message).toMatch(/必填/);
    const r = await req('province', 'GET', '/api/oversight/config?province=14&year=2027');
    expect(r.body.yearLayer).toBeNull();
  });

  it('suggests measures from the year’s figures, computed on the server; none recorded', async () => {
    const r = await req('province', 'GET', '/api/oversight/suggestions?year=2026');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ year: 2026 });
    expect(Array.isArray(r.body.items)).toBe(true);
    for (const x of r.body.items) expect(['summons', 'referral', 'criticism']).toContain(x.kind);
    expect((await req('village', 'GET', '/api/oversight/suggestions?year=2026')).status).toBe(403);
  });
});
