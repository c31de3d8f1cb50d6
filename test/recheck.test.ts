import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INPUTS, stopInput } from '../src/cases/test-fixtures.ts';
import { recheckTriple } from '../src/detect/recheck-synthetic.ts';
import { tempDir, writeMultiband } from '../src/raster/test-fixtures.ts';
import { seedFixtureRegion, testServer, type TestServer } from '../src/server/testing.ts';
import { auditRecord } from '../src/services/record-audit.ts';
import { importImagery } from '../src/services/imagery.ts';
import { eventsOf } from '../src/store/events.ts';
import { insertPolygons } from '../src/store/polygons.ts';
import { Scope } from '../src/store/scope.ts';
import { testBackends } from '../src/store/testing.ts';
import { findUserForLogin, principalOf } from '../src/store/users.ts';

const VILLAGE = '140525100200';

/** A webhook receiver that answers 200 and keeps what it got. */
function receiver(): Promise<{
  server: Server;
  url: string;
  hits: { key: string; body: string }[];
}> {
  const hits: { key: string; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      hits.push({ key: String(req.headers['x-gengbao-delivery']), body });
      res.writeHead(200).end();
    });
  });
  return new Promise((r) =>
    server.listen(0, '127.0.0.1', () =>
      r({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits }),
    ),
  );
}

/**
 * Rectification checked on later imagery (issue 24), on generated scenes: three 图斑 in the
 * fixture village 南村 — two being rectified (one demolished and replanted by the new date, one
 * still standing) and one stopped whose building is extended — and a new scene registered.
 */
describe.each(testBackends())('re-check of rectification on later imagery on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  let s: TestServer;
  let hook: Awaited<ReturnType<typeof receiver>>;
  const dir = tempDir('gengbao-recheck-');
  const triple = recheckTriple(['replanted', 'standing', 'extended'], {
    seed: 3,
    originX: 112.02,
    originY: 35.06,
    perRow: 3,
  });
  const ids: Record<string, number> = {};
  const get = async (url: string, cookie: string) =>
    (await s.app.inject({ method: 'GET', url, headers: { cookie } })).json();
  const principal = async (username: string) =>
    principalOf((await findUserForLogin(db, username))!);

  beforeAll(async () => {
    db = await backend.open();
    await seedFixtureRegion(db);
    hook = await receiver();
    s = await testServer(db, { dataDir: dir, deps: { webhookAllow: hook.url } });
  });
  afterAll(async () => {
    await s?.close();
    await db?.drop();
    hook?.server.close();
  });

  const register = (name: string, bands: Uint16Array[], date: string) =>
    importImagery(db, Scope.system(), {
      location: writeMultiband(join(dir, `${name}.tif`), bands, triple.grid),
      date,
      name,
      extraMeta: { sensor: 's2' },
    });

  it('sets up: the before and violation scenes, three 图斑 walked to rectified and stopped, a subscription to resumed building', async () => {
    await register('before', triple.before, '2025-11-25');
    await register('violation', triple.violation, '2026-11-20');
    // Both scenes were taken before any case was found: sweeping them re-checks nothing.
    const ready = await insertPolygons(
      db,
      Scope.system(),
      triple.sites.map((site, i) => ({
        code: `140525202611D90${i}`,
        source: 'detection' as const,
        period: '2026-11',
        jurisdictionCode: VILLAGE,
        geometry: site.polygon,
        properties: { sensor: 's2' },
      })),
    );
    await db.transaction((tx) =>
      s.services.cases.openCases(
        tx,
        Scope.system(),
        { id: 'system', role: 'province_monitor', scope: '' },
        ready.map((id) => ({
          id,
          jurisdictionCode: VILLAGE,
          source: 'detection',
          period: '2026-11',
        })),
      ),
    );
    triple.sites.forEach((site, i) => (ids[site.kind] = ready[i]));
    const [monitor, village, officer, reviewer] = await Promise.all(
      ['province', 'village', 'zezhou', 'reviewer'].map(principal),
    );
    const steps: [string, object, typeof monitor][] = [
      ['analyse', INPUTS.analyse, monitor],
      [
        'push',
        { unitCode: VILLAGE, assigneeIds: [String(village.id)], period: '2026-11' },
        monitor,
      ],
      ['verify', INPUTS.verify, village],
      ['determine', INPUTS.determineIllegal, officer],
      ['accept', {}, reviewer],
      ['stop', stopInput, village],
      ['file_case', INPUTS.fileCase, officer],
      ['decide', { ...INPUTS.decide, rectifyBy: '2099-01-31' }, officer],
      ['enforce', INPUTS.enforce, officer],
      ['rectify', INPUTS.rectify, village],
    ];
    for (const [kind, until] of [
      ['replanted', 'rectify'],
      ['standing', 'rectify'],
      ['extended', 'stop'],
    ] as const) {
      for (const [action, input, who] of steps) {
        const { state } = await s.services.cases.actions(who, ids[kind]).then((r) => r);
        await s.services.cases.act(who, ids[kind], action, { version: state.version, ...input });
        if (action === until) break;
      }
    }
    const township = await s.login('township');
    const sub = await s.app.inject({
      method: 'POST',
      url: '/api/subscriptions',
      headers: { cookie: township },
      payload: {
        name: '南村',
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [112.0, 35.0],
              [112.1, 35.0],
              [112.1, 35.1],
              [112.0, 35.1],
              [112.0, 35.0],
            ],
          ],
        },
        events: ['resumed'],
        webhookUrl: `${hook.url}/hook`,
      },
    });
    expect(sub.statusCode, sub.body).toBe(201);
    const first = await s.services.recheck.schedule();
    expect(first.started.length).toBe(2);
    await s.jobs.whenIdle();
    expect(await db.query(`SELECT 1 FROM imagery_rechecks`)).toEqual([]);
  }, 120_000);

  it('re-checks each case once when a later scene is registered: restored, not restored, resumed — with chips in the record', async () => {
    const now = await register('now', triple.now, '2026-12-20');
    expect((await s.services.recheck.schedule()).started).toEqual([now.id]);
    await s.jobs.whenIdle();
    const province = await s.login('province');
    const outcome = async (kind: string) =>
      (await get(`/api/polygons/${ids[kind]}/rechecks`, province)).items;
    const [restored] = await outcome('replanted');
    const [standing] = await outcome('standing');
    const [resumed] = await outcome('extended');
    expect(restored).toMatchObject({
      outcome: 'restored',
      imageryId: now.id,
      caseStatus: 'rectified',
    });
    expect(standing).toMatchObject({ outcome: 'not_restored', caseStatus: 'rectified' });
    expect(resumed).toMatchObject({ outcome: 'resumed', caseStatus: 'stopped' });
    expect(resumed.measures.grownM2).toBeGreaterThan(200);

    // In the record, sealed in the same transaction: the result and the three chips' hashes,
    // each chip served only while it matches its hash.
    const events = await eventsOf(db, Scope.system(), 'polygon', String(ids.replanted));
    const last = events.at(-1)!;
    expect(last.payload).toMatchObject({
      action: 'imagery_recheck',
      input: {
        result: 'restored',
        imageryDate: '2026-12-20',
        violationDate: '2026-11-20',
        beforeDate: '2025-11-25',
      },
    });
    const hashes = (last.payload as { input: { chips: string[] } }).input.chips;
    expect(hashes).toHaveLength(3);
    for (const [i, side] of ['before', 'violation', 'now'].entries()) {
      const png = await s.app.inject({
        method: 'GET',
        url: `/api/rechecks/${restored.id}/chips/${side}.png`,
        headers: { cookie: province },
      });
      expect(png.statusCode).toBe(200);
      expect(png.headers['content-type']).toBe('image/png');
      expect(createHash('sha256').update(png.rawPayload).digest('hex')).toBe(hashes[i]);
    }
    // The state did not move: only a person passes or fails the recheck.
    const { state } = await get(`/api/polygons/${ids.replanted}/actions`, province);
    expect(state.status).toBe('rectified');
    expect(state.imageryRechecks).toHaveLength(1);
    expect((await auditRecord(db)).mismatches).toEqual([]);
  }, 180_000);

  it('offers the reviewer a one-click 复核通过 with the imagery, and alerts the county of the resumed building — inbox and one webhook', async () => {
    const reviewer = await s.login('reviewer');
    const inbox = (await get('/api/inbox', reviewer)).items;
    const offer = inbox.find((n: { kind: string }) => n.kind === 'recheck_restored');
    expect(offer).toMatchObject({
      polygonId: ids.replanted,
      payload: { outcome: 'restored', action: 'recheck_pass', link: `/polygons/${ids.replanted}` },
    });
    expect(
      inbox.some(
        (n: { kind: string; polygonId: number }) =>
          n.kind === 'recheck_restored' && n.polygonId === ids.standing,
      ),
    ).toBe(false);
    const { actions } = await get(`/api/polygons/${ids.replanted}/actions`, reviewer);
    const pass = actions.find((a: { action: string }) => a.action === 'recheck_pass');
    const value = (name: string) =>
      pass.form.fields.find((f: { name: string }) => f.name === name)?.value;
    expect(value('method')).toBe('imagery');
    expect(value('imageryDate')).toBe('2026-12-20');
    expect(value('note')).toContain('影像自动复核');
    // One click: the prefilled values are a valid input.
    const done = await s.app.inject({
      method: 'POST',
      url: `/api/polygons/${ids.replanted}/transitions`,
      headers: { cookie: reviewer },
      payload: {
        action: 'recheck_pass',
        input: {
          version: (await get(`/api/polygons/${ids.replanted}/actions`, reviewer)).state.version,
          method: value('method'),
          imageryDate: value('imageryDate'),
          note: value('note'),
        },
      },
    });
    expect(done.statusCode, done.body).toBe(200);
    // Nobody is offered the automatic re-check as a form.
    expect(actions.some((a: { action: string }) => a.action === 'imagery_recheck')).toBe(false);

    const county = (await get('/api/inbox', await s.login('zezhou'))).items;
    expect(
      county
        .filter((n: { kind: string }) => n.kind === 'building_resumed')
        .map((n: { polygonId: number }) => n.polygonId),
    ).toEqual([ids.extended]);
    await s.services.notices.fanOut();
    await s.services.webhooks.deliverDue();
    await s.services.notices.fanOut();
    await s.services.webhooks.deliverDue();
    const told = (await get('/api/inbox', await s.login('township'))).items.filter(
      (n: { kind: string }) => n.kind === 'subscription.resumed',
    );
    expect(told.map((n: { polygonId: number }) => n.polygonId)).toEqual([ids.extended]);
    expect(hook.hits.map((h) => h.key)).toHaveLength(1);
    expect(hook.hits[0].key).toMatch(/^resumed:/);
    expect(JSON.parse(hook.hits[0].body)).toMatchObject({
      event: 'resumed',
      polygon: ids.extended,
    });
  }, 60_000);

  it('adds nothing twice: the scene is swept once, a rerun of its job re-checks nothing again', async () => {
    expect((await s.services.recheck.schedule()).started).toEqual([]);
    const province = await s.login('province');
    const [nowScene] = await db.query<{ imagery_id: number }>(
      `SELECT imagery_id FROM recheck_sweeps ORDER BY imagery_id DESC LIMIT 1`,
    );
    const again = await s.app.inject({
      method: 'POST',
      url: '/api/jobs',
      headers: { cookie: province },
      payload: { type: 'monitoring.recheck', payload: { imageryId: Number(nowScene.imagery_id) } },
    });
    expect(again.statusCode, again.body).toBe(202);
    await s.jobs.whenIdle();
    expect((await get(`/api/jobs/${again.json().id}`, province)).result.rechecked).toEqual([]);
    expect((await db.query(`SELECT count(*)::int AS n FROM imagery_rechecks`))[0]).toEqual({
      n: 3,
    });
    expect((await auditRecord(db)).mismatches).toEqual([]);
  }, 120_000);
});
