import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Areal } from '../src/geo/types.ts';
import { RATIO_FIXTURE } from '../src/oversight/fixture.ts';
import {
  apiCalls,
  seedFixtureRegion,
  square,
  testServer,
  type TestServer,
} from '../src/server/testing.ts';
import { verifyRecord } from '../src/store/audit.ts';
import { eventsOf } from '../src/store/events.ts';
import { insertPolygons } from '../src/store/polygons.ts';
import { insertReferenceLayer } from '../src/store/reference.ts';
import { Scope } from '../src/store/scope.ts';
import { TEST_DATABASE_URL, testBackends } from '../src/store/testing.ts';

/*
 * Oversight over HTTP on both back-ends: the illegal-occupation ratio of the hand-computed
 * fixture (src/oversight/fixture.ts: 泽州县 6.50 / 20.00 亩 = 32.50 %, 高平市 1.30 / 10.00 亩 =
 * 13.00 %), each case walked to its verdict through the API; then the year-end sweep, run
 * twice, and 补划 of the permanent basic farmland case #1 with verified parcels.
 */
if (!TEST_DATABASE_URL)
  console.warn('oversight: TEST_DATABASE_URL not set, the PostgreSQL-server half is not run');

const H = '0123456789abcdef'.repeat(4);
const photo = (i: number, at: string) => ({
  sha256: H.slice(i) + H.slice(0, i),
  lon: 112.3,
  lat: 35.3,
  takenAt: at,
});
const VERDICT_INPUT = {
  illegal_new: { category: 'illegal', illegalSubtype: 'new' },
  illegal_legacy: { category: 'illegal', illegalSubtype: 'legacy' },
  lawful: { category: 'lawful', approvalDocNo: '晋政地〔2026〕18号' },
  other: { category: 'other', otherReason: 'facility_farmland' },
} as const;

// Farmland 0.01° square at (112.3, 35.3); permanent basic farmland its south-west quarter.
const FARMLAND = square(112.3, 35.3, 0.01);
const PBF = square(112.3, 35.3, 0.005);

describe.each(testBackends())('oversight over HTTP on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  let s: TestServer;
  let clock = new Date('2026-11-20T02:00:00.000Z');
  const cookies: Record<string, string> = {};
  /** Fixture case number → stored polygon id. */
  const ids = new Map<number, number>();

  async function setClock(to: Date) {
    clock = to;
    for (const u of ['province', 'reviewer', 'zezhou', 'gaoping', 'village'])
      cookies[u] = await s.login(u);
  }
  const { get, post, act } = apiCalls(() => s, cookies);

  beforeAll(async () => {
    db = await backend.open();
    await seedFixtureRegion(db);
    const system = Scope.system();
    const stored = await insertPolygons(
      db,
      system,
      RATIO_FIXTURE.map((c, i) => ({
        code: `OV-${c.id}`,
        source: 'detection' as const,
        period: c.period,
        jurisdictionCode: c.code,
        geometry: square(112.3 + i * 0.001, 35.35, 0.0005),
      })),
    );
    RATIO_FIXTURE.forEach((c, i) => ids.set(c.id, stored[i]));
    await insertReferenceLayer(
      db,
      system,
      { kind: 'farmland', name: '耕地', jurisdictionCode: '140000', source: 'test' },
      [{ jurisdictionCode: '140000', geometry: FARMLAND }],
    );
    await insertReferenceLayer(
      db,
      system,
      { kind: 'pbf', name: '永久基本农田', jurisdictionCode: '140000', source: 'test' },
      [{ jurisdictionCode: '140000', geometry: PBF }],
    );
    s = await testServer(db, { now: () => clock });
    await setClock(clock);
    // Each fixture case walked to its verdict through the API, by the roles that take each step.
    const at = clock.toISOString();
    for (const c of RATIO_FIXTURE) {
      const id = ids.get(c.id)!;
      const officer = c.code.startsWith('140581') ? 'gaoping' : 'zezhou';
      const pbf = c.pbfMu ?? 0;
      await act('province', id, 'analyse', {
        totalMu: c.farmlandMu + 0.4,
        layerMu: { farmland: c.farmlandMu, pbf },
        preJudgment: {
          approval: 'unapproved',
          onFarmland: true,
          onPermanentBasicFarmland: pbf > 0,
        },
      });
      if (c.verdict === 'none') continue;
      await act('province', id, 'push', { unitCode: c.code, assigneeIds: [], period: c.period });
      await act(officer, id, 'verify', {
        photos: [photo(1, at), photo(2, at)],
        description: '耕地上新建房屋',
        visitedAt: at,
      });
      await act(officer, id, 'determine', VERDICT_INPUT[c.verdict]);
      await act('reviewer', id, 'accept', {});
    }
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    await db?.drop();
  });

  it('returns the hand-computed ratio per county: legacy and other out, lawful construction in the denominator', async () => {
    const r = await get('province', '/api/oversight/illegal-ratio?year=2026');
    expect(r.status).toBe(200);
    const [zezhou, gaoping] = r.body.items;
    expect(zezhou).toMatchObject({
      unit: '140525',
      name: '泽州县',
      illegalMu: 6.5,
      constructionMu: 20,
      ratioPercent: 32.5,
      thresholdPercent: 15,
      exceeded: true,
      warning: false,
      rank: 1,
      illegalCaseIds: [ids.get(1), ids.get(2)],
      constructionCaseIds: [ids.get(1), ids.get(2), ids.get(3)],
    });
    expect(gaoping).toMatchObject({
      unit: '140581',
      name: '高平市',
      illegalMu: 1.3,
      constructionMu: 10,
      ratioPercent: 13,
      exceeded: false,
      warning: true,
      rank: 2,
      illegalCaseIds: [ids.get(8)],
    });
    const city = await get('province', '/api/oversight/illegal-ratio?year=2026&level=city');
    expect(city.body.items).toMatchObject([
      { unit: '1405', name: '晋城市', illegalMu: 7.8, constructionMu: 30, ratioPercent: 26 },
    ]);
    // A county officer sees their county only; 2025 holds case #6 alone.
    expect(
      (await get('zezhou', '/api/oversight/illegal-ratio?year=2026')).body.items.map(
        (i: { unit: string }) => i.unit,
      ),
    ).toEqual(['140525']);
    expect(
      (await get('province', '/api/oversight/illegal-ratio?year=2025')).body.items[0],
    ).toMatchObject({ unit: '140525', illegalMu: 5, illegalCaseIds: [ids.get(6)] });
    expect((await get('province', '/api/oversight/illegal-ratio?year=20x6')).status).toBe(400);
  });

  it('runs the year-end sweep once per duty, however often it runs', async () => {
    // The ledger of 泽州县 opens with 100 亩 imported; a county officer may not book.
    expect(
      (await post('zezhou', '/api/oversight/ledgers/140525/entries', { kind: 'opening', mu: 100 }))
        .status,
    ).toBe(403);
    expect(
      await post('province', '/api/oversight/ledgers/140525/entries', {
        kind: 'opening',
        mu: 100,
        grade: '5',
        note: '2025 年末储备指标',
      }),
    ).toMatchObject({ status: 201, body: { seq: 1, balanceMu: 100 } });
    expect(
      (await post('province', '/api/oversight/ledgers/140525/entries', { kind: 'opening', mu: 5 }))
        .status,
    ).toBe(409);

    // Before the year has ended the sweep is refused.
    const early = await post('province', '/api/oversight/year-end', { year: 2026 });
    expect(early.status).toBe(202);
    await s.jobs.whenIdle();
    expect((await get('province', `/api/jobs/${early.body.id}`)).body.status).toBe('failed');
    expect((await post('zezhou', '/api/oversight/year-end', { year: 2026 })).status).toBe(403);

    await setClock(new Date('2027-01-05T02:00:00.000Z'));
    const results = [];
    for (let run = 0; run < 2; run++) {
      const job = await post('province', '/api/oversight/year-end', { year: 2026 });
      await s.jobs.whenIdle();
      const done = (await get('province', `/api/jobs/${job.body.id}`)).body;
      expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
      results.push(done.result);
    }
    // Not restored at year end: #1 (4.00 亩, 1.20 亩 永农), #2 (2.50), legacy #4 (10.00),
    // #8 (1.30), legacy #10 (30.00): five deductions and one 补划; the second run raises none.
    expect(results[0]).toMatchObject({ dutiesRaised: 6, alreadyRaised: 0, deductedMu: 47.8 });
    expect(results[1]).toMatchObject({ dutiesRaised: 0, alreadyRaised: 6, deductedMu: 0 });
    const duties = (await get('province', '/api/oversight/duties?year=2026')).body.items;
    expect(
      duties.map((d: { polygonId: number; kind: string; mu: number }) => [
        d.polygonId,
        d.kind,
        d.mu,
      ]),
    ).toEqual([
      [ids.get(1), 'quota_deduction', 4],
      [ids.get(1), 'pbf_redesignation', 1.2],
      [ids.get(2), 'quota_deduction', 2.5],
      [ids.get(4), 'quota_deduction', 10],
      [ids.get(8), 'quota_deduction', 1.3],
      [ids.get(10), 'quota_deduction', 30],
    ]);
    expect(duties[1]).toMatchObject({ status: 'open', dueDate: '2027-06-30' });
    // 100 − 4 − 2.5 − 10 = 83.50 for 泽州县; 高平市 had no reserve: −31.30.
    const ledger = (await get('zezhou', '/api/oversight/ledgers/140525')).body.items;
    expect(
      ledger.map((e: { kind: string; changeMu: number; balanceMu: number }) => [
        e.kind,
        e.changeMu,
        e.balanceMu,
      ]),
    ).toEqual([
      ['opening', 100, 100],
      ['deduction', -4, 96],
      ['deduction', -2.5, 93.5],
      ['deduction', -10, 83.5],
    ]);
    const balances = (await get('province', '/api/oversight/ledgers')).body.items;
    expect(
      balances.map((e: { countyCode: string; balanceMu: number }) => [e.countyCode, e.balanceMu]),
    ).toEqual([
      ['140525', 83.5],
      ['140581', -31.3],
    ]);
    expect((await get('gaoping', '/api/oversight/duties')).body.items).toHaveLength(2);
    expect((await get('village', '/api/oversight/duties')).status).toBe(403);
    expect(
      (await get('province', '/api/oversight/sweeps?year=2026')).body.items.map(
        (r: { dutiesRaised: number }) => r.dutiesRaised,
      ),
    ).toEqual([0, 6]);
  });

  it('completes 补划 with verified parcels only, and keeps it all in the record', async () => {
    const duty = (
      await get('zezhou', `/api/oversight/duties?kind=pbf_redesignation&polygonId=${ids.get(1)}`)
    ).body.items[0];
    const register = (user: string, ...parcels: Areal[]) =>
      post(user, `/api/oversight/duties/${duty.id}/replacements`, {
        parcels: parcels.map((geometry) => ({ geometry })),
      });

    // Another county's officer cannot see it.
    expect((await register('gaoping', square(112.306, 35.306, 0.001))).status).toBe(404);
    // About 0.55 亩 of farmland for 1.20 亩 lost; off farmland; already PBF.
    const small = await register('zezhou', square(112.306, 35.306, 0.0002));
    expect(small).toMatchObject({
      status: 400,
      body: { error: { code: 'bad_input', field: 'parcels' } },
    });
    expect(small.body.error.details.problems).toEqual(['too_small']);
    const off = await register('zezhou', square(112.4, 35.4, 0.001));
    expect(off.body.error.details.parcels[0].problems).toEqual(['not_farmland']);
    const onPbf = await register('zezhou', square(112.301, 35.301, 0.001));
    expect(onPbf.body.error.details.parcels[0].problems).toEqual(['already_pbf']);
    expect(onPbf.body.error.message).toMatch(/^补划地块未通过核验：地块 1：已是永久基本农田/);

    const ok = await register('zezhou', square(112.306, 35.306, 0.001));
    expect(ok.status).toBe(200);
    expect(ok.body.duty).toMatchObject({ status: 'done', doneAt: '2027-01-05T02:00:00.000Z' });
    expect(ok.body.check).toMatchObject({ accepted: true, requiredMu: 1.2 });
    expect(ok.body.check.farmlandMu).toBeGreaterThan(13);
    expect((await register('zezhou', square(112.307, 35.302, 0.0005))).status).toBe(409);
    expect(
      (await get('zezhou', `/api/oversight/duties/${duty.id}`)).body.replacements,
    ).toHaveLength(1);

    const system = Scope.system();
    const dutyEvents = await eventsOf(db, system, 'oversight_duty', String(duty.id));
    expect(dutyEvents.map((e) => e.type)).toEqual([
      'oversight.duty_raised',
      'oversight.pbf_redesignated',
    ]);
    expect(dutyEvents[1].payload).toMatchObject({ status: 'done', requiredMu: 1.2 });
    const ledgerEvents = await eventsOf(db, system, 'quota_ledger', '140525');
    expect(ledgerEvents.map((e) => [e.type, e.payload.balanceMu])).toEqual([
      ['quota.opening', 100],
      ['quota.deduction', 96],
      ['quota.deduction', 93.5],
      ['quota.deduction', 83.5],
    ]);
    expect(await verifyRecord(db)).toMatchObject({ ok: true });
  });
});
