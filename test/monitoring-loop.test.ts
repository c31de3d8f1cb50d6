import { createHmac } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMonitoringLoop, type MonitoringLoop } from '../src/jobs/scheduler.ts';
import { crsFromEpsg } from '../src/raster/crs.ts';
import { syntheticPair, tempDir, writeMultiband } from '../src/raster/test-fixtures.ts';
import { seedFixtureRegion, testServer, type TestServer } from '../src/server/testing.ts';
import { testBackends } from '../src/store/testing.ts';

/** Polls `f` until it returns a truthy value (or fails after `ms`). */
async function until<T>(
  f: () => Promise<T>,
  ms = 60_000,
  what = 'condition',
): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** A webhook receiver that fails the first attempt of each delivery, so a retry happens. */
function receiver(): Promise<{
  server: Server;
  url: string;
  hits: { headers: IncomingHttpHeaders; body: string; status: number }[];
}> {
  const hits: { headers: IncomingHttpHeaders; body: string; status: number }[] = [];
  const seen = new Set<string>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const key = String(req.headers['x-gengbao-delivery']);
      const status = seen.has(key) ? 200 : 503;
      seen.add(key);
      hits.push({ headers: req.headers, body, status });
      res.writeHead(status).end();
    });
  });
  return new Promise((r) =>
    server.listen(0, '127.0.0.1', () =>
      r({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits }),
    ),
  );
}

describe.each(testBackends())('the monitoring loop on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  let s: TestServer;
  let loop: MonitoringLoop;
  let hook: Awaited<ReturnType<typeof receiver>>;
  const dir = tempDir('gengbao-loop-');
  const incoming = join(dir, 'incoming');
  const pair = syntheticPair(128, 7);
  // Inside the fixture village 南村 (112.0–112.1 E, 35.0–35.1 N), as the detection job test places it.
  const grid = {
    ...pair.grid,
    crs: crsFromEpsg(4490),
    originX: 112.02,
    originY: 35.06,
    pixelWidth: 0.0001,
    pixelHeight: 0.0001,
  };
  const area = {
    type: 'Polygon',
    coordinates: [
      [
        [112.0, 35.04],
        [112.04, 35.04],
        [112.04, 35.07],
        [112.0, 35.07],
        [112.0, 35.04],
      ],
    ],
  };
  let secret = '';
  const get = async (url: string, cookie: string) =>
    (await s.app.inject({ method: 'GET', url, headers: { cookie } })).json();

  beforeAll(async () => {
    db = await backend.open();
    await seedFixtureRegion(db);
    hook = await receiver();
    s = await testServer(db, {
      dataDir: dir,
      deps: {
        webhookAllow: hook.url,
        webhookPolicy: { baseDelayMs: 100, maxAttempts: 5, timeoutMs: 5000 },
      },
    });
    mkdirSync(incoming, { recursive: true });
  });
  afterAll(async () => {
    await loop?.stop();
    await s?.close();
    await db?.drop();
    hook?.server.close();
  });

  it('refuses a webhook URL the administrator did not allow, and takes subscriptions on allowed ones', async () => {
    const township = await s.login('township');
    const bad = await s.app.inject({
      method: 'POST',
      url: '/api/subscriptions',
      headers: { cookie: township },
      payload: {
        name: 'x',
        geometry: area,
        events: ['new_polygon'],
        webhookUrl: 'http://10.0.0.1/hook',
      },
    });
    expect(bad.statusCode).toBe(403);
    const ok = await s.app.inject({
      method: 'POST',
      url: '/api/subscriptions',
      headers: { cookie: township },
      payload: {
        name: '南村东片',
        geometry: area,
        events: ['new_polygon', 'overdue'],
        webhookUrl: `${hook.url}/hook`,
      },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    secret = ok.json().webhookSecret;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    // Another county's officer draws the same area: 图斑 outside their jurisdiction are never told.
    const other = await s.app.inject({
      method: 'POST',
      url: '/api/subscriptions',
      headers: { cookie: await s.login('gaoping') },
      payload: { name: 'not mine', geometry: area, events: ['new_polygon'] },
    });
    expect(other.statusCode).toBe(201);
  });

  it('turns a scene pair dropped into the watched folder into a period’s 图斑 pushed to the village chief with deadlines, without a click', async () => {
    loop = startMonitoringLoop(s.services, { intervalMs: 100 });
    // Dated by its Sentinel-2 product name …
    writeMultiband(
      join(incoming, 'S2B_MSIL2A_20260315T031539_N0300_R118_T49SGU_20260315T060000.tif'),
      pair.before,
      grid,
    );
    // … and by a sidecar, written first so the scene is never seen without it.
    writeFileSync(
      join(incoming, 'after.tif.json'),
      JSON.stringify({ date: '2026-04-14', sensor: 's2' }),
    );
    writeMultiband(join(incoming, 'after.tif'), pair.after, grid);
    writeFileSync(join(incoming, 'notes.tif'), 'not a tiff');

    const province = await s.login('province');
    const run = await until(
      async () =>
        (await get('/api/monitoring/runs', province)).items.find(
          (r: { stage: string }) => r.stage === 'done',
        ),
      90_000,
      'the run to finish',
    );
    expect(run).toMatchObject({
      jurisdictionCode: '140525100200',
      sensor: 's2',
      period: '2026-04',
      runKey: '2026-04',
      attempts: 1,
    });
    expect(run.stages.detect.stored).toBeGreaterThanOrEqual(2);
    expect(run.stages.dispatch.pushed).toBe(run.stages.detect.stored);
    const job = await get(`/api/jobs/${run.jobId}`, province);
    expect(job).toMatchObject({ type: 'monitoring.month', status: 'succeeded', progress: 1 });

    const intake = (await get('/api/monitoring/intake', province)).items;
    expect(
      intake
        .filter((f: { status: string }) => f.status === 'registered')
        .map((f: { sensor: string; acquiredOn: string }) => [f.sensor, f.acquiredOn])
        .sort(),
    ).toEqual([
      ['s2', '2026-03-15'],
      ['s2', '2026-04-14'],
    ]);
    expect(intake.find((f: { name: string }) => f.name === 'notes.tif')).toMatchObject({
      status: 'refused',
    });

    const polygons = (await get('/api/polygons?period=2026-04&source=detection', province)).items;
    expect(polygons.length).toBe(run.stages.detect.stored);
    expect(polygons.every((p: { status: string }) => p.status === 'pushed')).toBe(true);

    // The village chief by name: the push is in their own inbox, with the deadline started.
    const village = await s.login('village');
    const inbox = (await get('/api/inbox', village)).items.filter(
      (n: { kind: string; polygonId: number }) =>
        n.kind === 'notify' && polygons.some((p: { id: number }) => p.id === n.polygonId),
    );
    expect(inbox.length).toBe(polygons.length);
    expect((await get('/api/inbox/unread', village)).count).toBeGreaterThanOrEqual(polygons.length);
    const { state } = await get(`/api/polygons/${polygons[0].id}/actions`, village);
    expect(state.deadlines.find((d: { kind: string }) => d.kind === 'verify')?.dueAt).toBeTruthy();
  }, 120_000);

  it('tells the area subscriber once, by inbox and signed webhook, retried after a failure; never one outside their jurisdiction', async () => {
    const polygons = (
      await get('/api/polygons?period=2026-04&source=detection', await s.login('province'))
    ).items as { id: number; code: string }[];
    const delivered = await until(
      async () => {
        const ok = hook.hits.filter((h) => h.status === 200);
        return ok.length >= polygons.length ? ok : null;
      },
      30_000,
      'the webhooks',
    );
    await loop.tick();
    const ok = hook.hits.filter((h) => h.status === 200);
    expect(ok.length).toBe(delivered.length);
    const keys = ok.map((h) => h.headers['x-gengbao-delivery']);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.sort()).toEqual(polygons.map((p) => `new_polygon:${p.id}`).sort());
    // A failed first attempt and its retry carry the same delivery, and each body is signed.
    expect(hook.hits.filter((h) => h.status === 503).length).toBe(keys.length);
    for (const h of ok) {
      const t = String(h.headers['x-gengbao-timestamp']);
      expect(h.headers['x-gengbao-signature']).toBe(
        `sha256=${createHmac('sha256', secret).update(`${t}.${h.body}`).digest('hex')}`,
      );
    }
    const township = await s.login('township');
    const told = (await get('/api/inbox', township)).items.filter(
      (n: { kind: string }) => n.kind === 'subscription.new_polygon',
    );
    expect(told.length).toBe(polygons.length);
    const deliveries = (await get('/api/subscriptions/deliveries', township)).items;
    expect(
      deliveries.every(
        (d: { status: string; attempts: number }) => d.status === 'delivered' && d.attempts === 2,
      ),
    ).toBe(true);
    const outsider = (await get('/api/inbox', await s.login('gaoping'))).items.filter(
      (n: { kind: string }) => n.kind.startsWith('subscription.'),
    );
    expect(outsider).toEqual([]);
  }, 60_000);

  it('adds nothing twice: a copy is a duplicate, a rerun of the run is skipped, a run resumed after detection continues', async () => {
    const province = await s.login('province');
    writeFileSync(
      join(incoming, 'after-copy.tif.json'),
      JSON.stringify({ date: '2026-04-14', sensor: 's2' }),
    );
    writeMultiband(join(incoming, 'after-copy.tif'), pair.after, grid);
    await until(
      async () =>
        (await get('/api/monitoring/intake', province)).items.find(
          (f: { name: string; status: string }) =>
            f.name === 'after-copy.tif' && f.status === 'duplicate',
        ),
      20_000,
      'the duplicate',
    );
    const before = (await get('/api/polygons?period=2026-04', province)).count;
    const [run] = (await get('/api/monitoring/runs', province)).items;

    const again = await s.app.inject({
      method: 'POST',
      url: '/api/jobs',
      headers: { cookie: province },
      payload: { type: 'monitoring.month', payload: { runId: run.id } },
    });
    await s.jobs.whenIdle();
    expect((await get(`/api/jobs/${again.json().id}`, province)).result.skipped).toBe(
      'already finished',
    );

    // As if the process died after detection stored its 图斑 (a restart fails its job): the
    // scheduler starts the run again, and the new job continues from there.
    await db.query(`UPDATE monitoring_runs SET stage = 'detecting' WHERE id = $1`, [run.id]);
    await db.query(
      `UPDATE jobs SET status = 'failed', error = '{"code":"interrupted","message":"crash"}' WHERE id = $1`,
      [run.jobId],
    );
    await until(
      async () =>
        (await get('/api/monitoring/runs', province)).items.find(
          (r: { stage: string; attempts: number }) => r.stage === 'done' && r.attempts === 2,
        ),
      30_000,
      'the resumed run',
    );
    await s.jobs.whenIdle();
    expect((await get('/api/polygons?period=2026-04', province)).count).toBe(before);
    const after = (await get('/api/monitoring/runs', province)).items;
    expect(after.length).toBe(1);
    expect(after[0]).toMatchObject({ stage: 'done' });
    expect(after[0].stages.detect).toMatchObject({ resumed: true });
    expect(await s.services.monitoring.schedule()).toEqual({
      started: [],
      resumed: [],
      refused: [],
    });
  }, 60_000);

  it('writes one daily digest per user and day', async () => {
    const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const first = await s.services.notices.digest(day);
    expect(first.users).toBeGreaterThanOrEqual(2);
    expect((await s.services.notices.digest(day)).users).toBe(0);
    const digest = (await get('/api/inbox', await s.login('village'))).items.find(
      (n: { kind: string }) => n.kind === 'digest',
    );
    expect(digest.payload).toMatchObject({ day });
    expect(digest.payload.counts.notify).toBeGreaterThanOrEqual(2);
  });
});
