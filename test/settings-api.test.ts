import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFixtureRegion, testServer, type TestServer } from '../src/server/testing.ts';
import { testBackends } from '../src/store/testing.ts';

/**
 * The administration routes the office app's settings, users, spot-check and flag pages use:
 * province rules read by all and changed by the province administrator (in the record), account
 * disabling, and the paged lists with their totals — on every back-end.
 */
describe.each(testBackends())('administration API ($name)', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  let s: TestServer;
  const call = async (cookie: string, method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const res = await s.app.inject({
      method,
      url,
      headers: { cookie },
      payload: payload as object,
    });
    return { status: res.statusCode, body: res.json() };
  };

  beforeAll(async () => {
    db = await backend.open();
    await seedFixtureRegion(db);
    s = await testServer(db, { now: () => new Date('2026-11-20T02:00:00Z') });
  });
  afterAll(async () => {
    await s?.close();
    await db?.drop();
  });

  it('reads the rules in force, lets only the province administrator change them, and records the change', async () => {
    const officer = await s.login('zezhou');
    const read = await call(officer, 'GET', '/api/settings');
    expect(read.status).toBe(200);
    expect(read.body.province).toBe('140000');
    expect(read.body.config.deadlines.rules.verify).toMatchObject({
      kind: 'within_days',
      days: 15,
    });
    expect(
      (await call(officer, 'POST', '/api/settings', { deadlines: { holidays: ['2026-12-25'] } }))
        .status,
    ).toBe(403);

    const admin = await s.login('admin');
    const changed = await call(admin, 'POST', '/api/settings', {
      deadlines: {
        holidays: ['2026-10-01', '2026-10-02'],
        rules: { verify: { kind: 'within_days', days: 10, calendar: 'working' } },
      },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.config.deadlines.holidays).toEqual(['2026-10-01', '2026-10-02']);
    expect(changed.body.config.deadlines.rules.verify.days).toBe(10);
    // other rules keep the national default
    expect(changed.body.config.deadlines.rules.stop.days).toBe(3);
    expect(changed.body.overridden).toEqual(['deadlines']);
    const bad = await call(admin, 'POST', '/api/settings', { majorCase: { farmlandMu: -1 } });
    expect(bad.status).toBe(400);
    const events = await db.query<{ type: string; entity_id: string }>(
      `SELECT type, entity_id FROM events WHERE entity_type = 'settings'`,
    );
    expect(events).toEqual([{ type: 'settings_changed', entity_id: 'cases.config:14' }]);
    // the city reviewer reads the province's rules too
    expect(
      (await call(await s.login('reviewer'), 'GET', '/api/settings')).body.config.deadlines
        .holidays,
    ).toHaveLength(2);
  });

  it('disables an account (not one’s own), which then cannot log in, and re-enables it', async () => {
    const admin = await s.login('admin');
    const users = await call(admin, 'GET', '/api/users');
    const gaoping = users.body.items.find((u: { username: string }) => u.username === 'gaoping');
    const me = users.body.items.find((u: { username: string }) => u.username === 'admin');
    expect(
      (await call(admin, 'POST', `/api/users/${me.id}/disabled`, { disabled: true })).status,
    ).toBe(400);
    expect(
      (
        await call(await s.login('zezhou'), 'POST', `/api/users/${gaoping.id}/disabled`, {
          disabled: true,
        })
      ).status,
    ).toBe(403);
    const off = await call(admin, 'POST', `/api/users/${gaoping.id}/disabled`, { disabled: true });
    expect(off.body.disabled).toBe(true);
    await expect(s.login('gaoping')).rejects.toThrow(/401/);
    await call(admin, 'POST', `/api/users/${gaoping.id}/disabled`, { disabled: false });
    await expect(s.login('gaoping')).resolves.toMatch(/gengbao_session/);
  });

  it('pages spot checks, their outcomes, field flags and published cases with totals', async () => {
    const admin = await s.login('admin');
    const none = await call(admin, 'GET', '/api/spot-checks');
    expect(none.body).toEqual({ total: 0, items: [] });
    expect((await call(admin, 'GET', '/api/spot-checks/999/outcomes')).status).toBe(404);
    const flags = await call(admin, 'GET', '/api/field/flags/items?limit=10');
    expect(flags.body).toEqual({ total: 0, items: [] });
    const extent = await call(await s.login('zezhou'), 'GET', '/api/polygons/extent');
    expect(extent.body.count).toBe(2);
    expect(extent.body.bbox[0]).toBeCloseTo(112.01, 5);
    expect(extent.body.bbox[3]).toBeCloseTo(35.212, 5);
    const pub = await s.app.inject({ method: 'GET', url: '/api/public/cases?limit=5' });
    expect(pub.json()).toEqual({ total: 0, items: [] });
  });
});
