import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../src/demo/load.ts';
import { testServer, type TestServer } from '../src/server/testing.ts';
import { verifyRecord } from '../src/store/audit.ts';
import { testBackends } from '../src/store/testing.ts';

/*
 * The demo's monitoring month (src/demo/monitoring-month.ts) as the office app reads it: a
 * scheduled run already done with its job, the November scene's re-checks — one restored, one
 * resumed with the county's alert — with chips, and an area subscription that hears the
 * resumed building on the loop's next tick; the record still verifies.
 */
describe('the demo monitoring month', () => {
  const [backend] = testBackends();
  const dataDir = mkdtempSync(join(tmpdir(), 'gengbao-demo-month-'));
  let db: Awaited<ReturnType<typeof backend.open>>;
  let s: TestServer;
  const cookies = new Map<string, string>();
  const as = async (username: string) => {
    if (!cookies.has(username)) {
      const r = await s.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password: 'gengbao-demo' },
      });
      expect(r.statusCode, username).toBe(200);
      cookies.set(username, String(r.headers['set-cookie']).split(';')[0]);
    }
    return cookies.get(username)!;
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies checked by the assertions
  const get = async (username: string, url: string): Promise<any> => {
    const r = await s.app.inject({ method: 'GET', url, headers: { cookie: await as(username) } });
    expect(r.statusCode, url).toBe(200);
    return r.json();
  };

  beforeAll(async () => {
    db = await backend.open();
    await loadDemo(db, { dataDir });
    s = await testServer(db, { dataDir, now: () => new Date('2026-12-07T02:00:00.000Z') });
  }, 240_000);
  afterAll(async () => {
    await s?.close();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists the scheduled November run as done, with its succeeded job', async () => {
    const runs = (await get('sx.monitor', '/api/monitoring/runs')).items;
    expect(runs.length).toBe(1);
    expect(runs[0]).toMatchObject({ period: '2026-11', sensor: 's2', stage: 'done', attempts: 1 });
    expect(runs[0].stages.dispatch.pushed).toBe(runs[0].stages.detect.stored);
    expect(runs[0].stages.detect.stored).toBeGreaterThan(0);
    const job = await get('sx.monitor', `/api/jobs/${runs[0].jobId}`);
    expect(job).toMatchObject({ type: 'monitoring.month', status: 'succeeded', progress: 1 });
    const jobs = (await get('sx.monitor', '/api/jobs')).items.map((j: { type: string }) => j.type);
    expect(jobs).toEqual(expect.arrayContaining(['monitoring.month', 'monitoring.recheck']));
  });

  it('re-checked two cases on the November scene: one restored, one resumed, with chips and the county told', async () => {
    const rows = await db.query<{ polygon_id: string; outcome: string; id: string }>(
      `SELECT polygon_id, outcome, id FROM imagery_rechecks ORDER BY id`,
    );
    expect(rows.map((r) => r.outcome).sort()).toEqual(['restored', 'resumed']);
    for (const r of rows) {
      const list = await get('sx.monitor', `/api/polygons/${r.polygon_id}/rechecks`);
      const items = list.items;
      expect(items[0]).toMatchObject({ outcome: r.outcome });
      const chip = await s.app.inject({
        method: 'GET',
        url: items[0].chipUrls.now,
        headers: { cookie: await as('sx.monitor') },
      });
      expect(chip.statusCode).toBe(200);
      expect(chip.rawPayload.subarray(1, 4).toString()).toBe('PNG');
      const recorded = await db.query(
        `SELECT 1 FROM events WHERE entity_type = 'polygon' AND entity_id = $1 AND (type LIKE '%imagery_recheck%' OR payload::text LIKE '%imagery_recheck%')`,
        [String(r.polygon_id)],
      );
      expect(recorded.length).toBe(1);
    }
    const resumed = rows.find((r) => r.outcome === 'resumed')!;
    const county = (await get('zz.officer', '/api/inbox')).items.filter(
      (n: { kind: string }) => n.kind === 'building_resumed',
    );
    expect(county.map((n: { polygonId: number }) => String(n.polygonId))).toContain(
      String(resumed.polygon_id),
    );
  });

  it('has an area subscription of a demo user that hears the resumed building on the next tick', async () => {
    const [owner] = await db.query<{ username: string }>(
      `SELECT u.username FROM subscriptions s JOIN users u ON u.id = s.user_id ORDER BY s.id LIMIT 1`,
    );
    expect(['zz.township', 'zz.officer']).toContain(owner?.username);
    const subs = (await get(owner.username, '/api/subscriptions')).items;
    expect(subs.length).toBeGreaterThanOrEqual(1);
    expect(subs[0].events).toEqual(expect.arrayContaining(['resumed']));
    await s.services.notices.fanOut();
    const told = (await get(owner.username, '/api/inbox')).items.filter(
      (n: { kind: string }) => n.kind === 'subscription.resumed',
    );
    expect(told.length).toBe(1);
  });

  it('keeps the record verifiable', async () => {
    const report = await verifyRecord(db);
    expect(report.ok, JSON.stringify(report).slice(0, 500)).toBe(true);
  });
});
