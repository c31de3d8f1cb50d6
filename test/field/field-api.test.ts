import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertPolygons } from '../../src/store/polygons.ts';
import { Scope } from '../../src/store/scope.ts';
import { TEST_DATABASE_URL, testBackends } from '../../src/store/testing.ts';
import {
  seedFixtureRegion,
  square,
  testServer,
  type TestServer,
} from '../../src/server/testing.ts';
import { capture, seedImagery, sha256, testPng, uuid } from './fixtures.ts';

if (!TEST_DATABASE_URL)
  console.warn('field api: TEST_DATABASE_URL not set, the PostgreSQL-server half is not run');

const DATA_DIR = mkdtempSync(join(tmpdir(), 'gengbao-field-'));
process.env.GENGBAO_DATA_DIR = DATA_DIR;

describe.each(testBackends())('field work over HTTP on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  let s: TestServer;
  let clock = new Date('2026-11-20T02:00:00.000Z');
  const now = () => clock;
  const cookie: Record<string, string> = {};
  const ids: Record<string, number> = {};
  let seed = 100;

  const req = async (
    user: string | null,
    method: 'GET' | 'POST',
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) => {
    // The client's address is the socket's: X-Forwarded-For counts only from GENGBAO_TRUST_PROXY.
    const { remoteAddress, ...rest } = headers;
    const res = await s.app.inject({
      method,
      url,
      payload: payload as object,
      remoteAddress,
      headers: { ...(user ? { cookie: cookie[user] } : {}), ...rest },
    });
    return {
      status: res.statusCode,
      body: res.headers['content-type']?.toString().startsWith('application/json')
        ? res.json()
        : res.body,
      raw: res.rawPayload,
    };
  };
  const version = async (id: number) =>
    (await req('province', 'GET', `/api/polygons/${id}/actions`)).body.state.version as number;
  const at = (minutes: number) => new Date(clock.getTime() + minutes * 60_000).toISOString();
  const submission = (polygon: string, ver: number, photos: unknown[], id = uuid()) => ({
    id,
    polygonId: ids[polygon],
    version: ver,
    form: {
      onGround: '在建建筑',
      description: '耕地上新建砖房一处',
      visitedAt: at(0),
      builder: '张三',
    },
    photos,
  });

  async function loginAll() {
    for (const u of ['province', 'zezhou', 'gaoping', 'village', 'township', 'admin'])
      cookie[u] = await s.login(u);
  }

  beforeAll(async () => {
    db = await backend.open();
    await seedFixtureRegion(db);
    await seedImagery(db, DATA_DIR);
    await insertPolygons(db, Scope.system(), [
      {
        code: 'F-1',
        source: 'detection',
        period: '2026-11',
        jurisdictionCode: '140525100200',
        geometry: square(112.03, 35.03, 0.001),
      },
      {
        code: 'F-2',
        source: 'detection',
        period: '2026-11',
        jurisdictionCode: '140525100200',
        geometry: square(112.05, 35.05, 0.001),
      },
      {
        code: 'F-3',
        source: 'detection',
        period: '2026-11',
        jurisdictionCode: '140525100200',
        geometry: square(112.07, 35.07, 0.001),
      },
    ]);
    s = await testServer(db, { now });
    await loginAll();
    const list = (await req('province', 'GET', '/api/polygons')).body.items as {
      id: number;
      code: string;
    }[];
    for (const p of list) ids[p.code] = p.id;
    for (const code of ['P-NANCUN', 'F-1', 'F-2', 'F-3']) {
      const r = await req('province', 'POST', `/api/polygons/${ids[code]}/transitions`, {
        action: 'analyse',
        input: {
          version: 1,
          totalMu: 1.5,
          layerMu: { farmland: 1.5 },
          preJudgment: {
            approval: 'unapproved',
            onFarmland: true,
            onPermanentBasicFarmland: false,
          },
        },
      });
      expect(r.status).toBe(200);
    }
    const d = await req('province', 'POST', '/api/dispatch', { period: '2026-11' });
    expect(d.body.pushed).toHaveLength(4);
    clock = new Date('2026-11-21T03:00:00.000Z');
    await loginAll(); // sessions last 12 h on the injected clock
  });
  afterAll(async () => {
    await s?.close();
    await db?.drop();
  });

  it('lists my tasks with deadlines and gives an offline package', async () => {
    const tasks = await req('village', 'GET', '/api/field/tasks');
    expect(tasks.status).toBe(200);
    const codes = tasks.body.items.map((t: { code: string }) => t.code).sort();
    expect(codes).toEqual(['F-1', 'F-2', 'F-3', 'P-NANCUN']);
    const t = tasks.body.items[0];
    expect(t.deadlines.some((d: { kind: string }) => d.kind === 'verify')).toBe(true);
    expect(t.window.from).toBe('2026-11-20T02:00:00.000Z');
    expect(t.geometry.type).toBe('Polygon');
    // another county's officer sees none of them
    expect((await req('gaoping', 'GET', '/api/field/tasks')).body.items).toEqual([]);

    const pkg = await req('village', 'GET', `/api/field/package/${ids['F-1']}`);
    expect(pkg.status).toBe(200);
    expect(pkg.body.polygon).toMatchObject({ code: 'F-1', status: 'pushed' });
    expect(pkg.body.figures.analysis.totalMu).toBe(1.5);
    expect(pkg.body.form.fields.map((f: { name: string }) => f.name)).toContain('description');
    expect(pkg.body.rules.maxDistanceM).toBe(200);
    expect((await req('gaoping', 'GET', `/api/field/package/${ids['F-1']}`)).status).toBe(404);

    // Chips: the scene is the township's, outside the chief's scope, but the 图斑 is theirs.
    const withChips = await req('village', 'GET', `/api/field/package/${ids['P-NANCUN']}`);
    expect(withChips.body.chips).toHaveLength(1);
    const chip = withChips.body.chips[0];
    expect(chip).toMatchObject({ role: 'after', acquiredOn: '2026-11-15' });
    expect(chip.tiles.length).toBeGreaterThanOrEqual(1);
    expect(chip.tiles.length).toBeLessThanOrEqual(4);
    expect(Buffer.from(chip.tiles[0].png, 'base64').subarray(1, 4).toString()).toBe('PNG');
    expect(chip.tiles[0].z).toBe(17);
    expect(pkg.body.chips).toEqual([]); // F-1 lies outside the scene
  });

  it('accepts a verification: originals kept under their hash, verify transition run, no flags', async () => {
    const a = testPng(seed++);
    const b = testPng(seed++);
    const body = submission('P-NANCUN', await version(ids['P-NANCUN']), [
      capture(a, at(-30)),
      capture(b, at(-29), 112.0105, 35.0125),
    ]);
    const r = await req('village', 'POST', '/api/field/submissions', body);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({
      status: 'accepted',
      state: { status: 'verified' },
      flags: [],
      replayed: false,
    });
    expect(r.body.photos.map((p: { sha256: string }) => p.sha256)).toEqual([sha256(a), sha256(b)]);
    expect(readFileSync(join(DATA_DIR, 'evidence', sha256(a))).equals(a)).toBe(true);
    const file = await req('zezhou', 'GET', `/api/field/evidence/${sha256(a)}`);
    expect(file.status).toBe(200);
    expect(Buffer.from(file.raw).equals(a)).toBe(true);
    expect((await req('gaoping', 'GET', `/api/field/evidence/${sha256(a)}`)).status).toBe(404);
    const page = await req('zezhou', 'GET', `/api/polygons/${ids['P-NANCUN']}`);
    expect(page.body.events.map((e: { type: string }) => e.type)).toContain('polygon.verify');
  });

  it('stores a replayed submission once and answers with the first result', async () => {
    const body = submission('F-1', await version(ids['F-1']), [
      capture(testPng(seed++), at(-5), 112.0305, 35.0305),
      capture(testPng(seed++), at(-4), 112.0306, 35.0306),
    ]);
    const first = await req('village', 'POST', '/api/field/submissions', body);
    expect(first.status).toBe(200);
    const again = await req('village', 'POST', '/api/field/submissions', body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      replayed: true,
      state: first.body.state,
      photos: first.body.photos,
    });
    const rows = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM field_submissions WHERE id = $1`,
      [body.id],
    );
    expect(rows[0].n).toBe(1);
    const events = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM events WHERE entity_id = $1 AND type = 'polygon.verify'`,
      [String(ids['F-1'])],
    );
    expect(events[0].n).toBe(1);
  });

  it('flags a tampered photo, a photo 5 km away, one outside the task window and a poor fix — and counts them', async () => {
    const good = testPng(seed++);
    const tampered = capture(good, at(-3), 112.0505, 35.0505, { sha256: sha256(testPng(seed++)) });
    const far = capture(testPng(seed++), at(-2), 112.0505 + 0.055, 35.0505);
    const early = capture(testPng(seed++), '2026-11-19T12:00:00.000Z', 112.0505, 35.0505);
    const vague = capture(testPng(seed++), at(-1), 112.0505, 35.0505, { accuracyM: 900 });
    const r = await req(
      'village',
      'POST',
      '/api/field/submissions',
      submission('F-2', await version(ids['F-2']), [tampered, far, early, vague]),
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const kinds = r.body.flags.map((f: { kind: string; photo: number }) => `${f.photo}:${f.kind}`);
    expect(kinds).toEqual(['0:hash_mismatch', '1:too_far', '2:outside_window', '3:low_accuracy']);
    expect(r.body.flags[1].detail.distanceM).toBeGreaterThan(4900);
    expect(r.body.flags[1].detail.distanceM).toBeLessThan(5100);
    // the original is kept under the hash of what arrived; the claim is kept beside it
    expect(r.body.photos[0]).toMatchObject({
      sha256: sha256(good),
      claimedSha256: tampered.sha256,
    });

    const ev = await req('zezhou', 'GET', `/api/field/polygons/${ids['F-2']}/evidence`);
    expect(ev.body.flagged).toBe(true);
    expect(ev.body.flags).toHaveLength(4);
    expect(ev.body.submissions[0].photos[0].url).toBe(`/api/field/evidence/${sha256(good)}`);
    const stats = await req('province', 'GET', '/api/field/flags?period=2026-11');
    expect(stats.body.total).toMatchObject({
      submissions: 3,
      flaggedSubmissions: 1,
      byKind: { hash_mismatch: 1, too_far: 1, outside_window: 1, low_accuracy: 1 },
    });
    expect(stats.body.counties[0].county).toBe('140525');
    expect((await req('gaoping', 'GET', '/api/field/flags')).body.total.submissions).toBe(0);
  });

  it('refuses oversized and non-image uploads and bad ids with a reason, storing nothing', async () => {
    const before = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM field_submissions`,
    );
    const v = await version(ids['F-3']);
    const text = Buffer.from('this is not a photo at all');
    const notImage = await req(
      'village',
      'POST',
      '/api/field/submissions',
      submission('F-3', v, [capture(text, at(0), 112.0705, 35.0705)]),
    );
    expect(notImage.status).toBe(415);
    expect(notImage.body.error.message).toMatch(/photos\[0\] is not a JPEG, PNG/);
    const huge = Buffer.concat([testPng(seed++), Buffer.alloc(13 * 1024 * 1024)]);
    const big = await req(
      'village',
      'POST',
      '/api/field/submissions',
      submission('F-3', v, [capture(huge, at(0), 112.0705, 35.0705)]),
    );
    expect(big.status).toBe(400);
    expect(big.body.error).toMatchObject({ code: 'bad_input', field: 'photos.0' });
    expect(big.body.error.message).toMatch(/limit is 12.0 MB/);
    const noId = await req('village', 'POST', '/api/field/submissions', {
      ...submission('F-3', v, [capture(testPng(seed++), at(0))]),
      id: 'not-a-uuid',
    });
    expect(noId.status).toBe(400);
    expect(noId.body.error.field).toBe('id');
    const after = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM field_submissions`);
    expect(after[0].n).toBe(before[0].n);
    expect(await version(ids['F-3'])).toBe(v);
    // a stale version is refused, and its replay gets the same refusal
    const stale = submission('F-3', v - 1, [
      capture(testPng(seed++), at(0), 112.0705, 35.0705),
      capture(testPng(seed++), at(0), 112.0705, 35.0705),
    ]);
    expect((await req('village', 'POST', '/api/field/submissions', stale)).status).toBe(409);
    const replay = await req('village', 'POST', '/api/field/submissions', stale);
    expect(replay.status).toBe(409);
    expect(replay.body.error.message).toMatch(/first copy/);
    // wrong role, wrong jurisdiction
    expect(
      (
        await req(
          'province',
          'POST',
          '/api/field/submissions',
          submission('F-3', v, [capture(testPng(seed++), at(0))]),
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await req(
          'gaoping',
          'POST',
          '/api/field/submissions',
          submission('F-3', v, [capture(testPng(seed++), at(0))]),
        )
      ).status,
    ).toBe(404);
  });

  it('records patrols, turns a building spotted into a patrol 图斑, and measures the patrol rate', async () => {
    const start = await req('village', 'POST', '/api/patrols');
    expect(start.status, JSON.stringify(start.body)).toBe(200);
    const id = start.body.id;
    const pts = [0, 1, 2].map((i) => ({ lon: 112.02 + i * 0.001, lat: 35.02, at: at(i + 1) }));
    clock = new Date(clock.getTime() + 10 * 60_000);
    expect(
      (await req('village', 'POST', `/api/patrols/${id}/points`, { points: pts })).body.points,
    ).toBe(3);
    const resent = await req('village', 'POST', `/api/patrols/${id}/points`, { points: pts });
    expect(resent.body.points).toBe(3);
    expect(resent.body.lengthM).toBeGreaterThan(150);
    expect(
      (
        await req('village', 'POST', `/api/patrols/${id}/points`, {
          points: [{ lon: 112, lat: 35, at: '2020-01-01T00:00:00Z' }],
        })
      ).status,
    ).toBe(400);
    expect(
      (await req('township', 'POST', `/api/patrols/${id}/points`, { points: pts })).status,
    ).toBe(404);

    const finding = {
      id: uuid(),
      lon: 112.025,
      lat: 35.021,
      description: '田间新建围墙',
      photos: [capture(testPng(seed++), at(5), 112.0251, 35.0211)],
    };
    const f = await req('village', 'POST', `/api/patrols/${id}/findings`, finding);
    expect(f.status, JSON.stringify(f.body)).toBe(200);
    expect(f.body.flags).toEqual([]);
    const again = await req('village', 'POST', `/api/patrols/${id}/findings`, finding);
    expect(again.body).toMatchObject({ polygonId: f.body.polygonId, replayed: true });
    const poly = await req('zezhou', 'GET', `/api/polygons/${f.body.polygonId}`);
    expect(poly.body).toMatchObject({ source: 'patrol', jurisdictionCode: '140525100200' });
    expect(
      (
        await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM polygons WHERE source = 'patrol'`,
        )
      )[0].n,
    ).toBe(1);

    const end = await req('village', 'POST', `/api/patrols/${id}/end`);
    expect(end.body.endedAt).toBeTruthy();
    expect(
      (await req('village', 'POST', `/api/patrols/${id}/points`, { points: pts })).status,
    ).toBe(409);
    expect((await req('province', 'POST', '/api/patrols')).status).toBe(403);

    const stats = await req('zezhou', 'GET', '/api/patrols/stats?weeks=4');
    const village = stats.body.chiefs.find((c: { username: string }) => c.username === 'village');
    const township = stats.body.chiefs.find((c: { username: string }) => c.username === 'township');
    expect(village).toMatchObject({ weeksWithPatrol: 1, weeks: 4, rate: 0.25, patrols: 1 });
    expect(township).toMatchObject({ weeksWithPatrol: 0, rate: 0 });
  });

  it('takes a patrol started and ended offline at the phone times, once', async () => {
    const startedAt = at(-120);
    const a = await req('township', 'POST', '/api/patrols', { startedAt });
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    expect(a.body.startedAt).toBe(startedAt);
    expect((await req('township', 'POST', '/api/patrols', { startedAt })).body.id).toBe(a.body.id);
    expect(
      (await req('township', 'POST', '/api/patrols', { startedAt: at(30) })).body.error.field,
    ).toBe('startedAt');
    expect(
      (await req('township', 'POST', '/api/patrols', { startedAt: '2026-01-01T00:00:00Z' })).body
        .error.message,
    ).toMatch(/more than 7 days ago/);
    expect(
      (
        await req('township', 'POST', `/api/patrols/${a.body.id}/end`, {
          points: [],
          endedAt: at(-200),
        })
      ).body.error.field,
    ).toBe('endedAt');
    const end = await req('township', 'POST', `/api/patrols/${a.body.id}/end`, {
      points: [{ lon: 112.1, lat: 35.1, at: at(-100) }],
      endedAt: at(-60),
    });
    expect(end.body).toMatchObject({ endedAt: at(-60), points: 1 });
    expect(
      (await req('township', 'POST', `/api/patrols/${a.body.id}/end`, { points: [] })).body.endedAt,
    ).toBe(at(-60));
  });

  it('takes public tips with a receipt, refuses a flood, and turns a triaged tip into a 图斑', async () => {
    const tip = {
      lon: 112.015,
      lat: 35.015,
      description: '有人在耕地上建厂房',
      photos: [{ data: testPng(seed++).toString('base64') }],
      anonymous: true,
    };
    const r = await req(null, 'POST', '/api/public/tips', tip, {
      remoteAddress: '203.0.113.9',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.receipt).toMatch(/^[0-9A-Z]{10}$/);
    expect(
      (await req(null, 'GET', `/api/public/tips/${r.body.receipt.toLowerCase()}`)).body.status,
    ).toBe('received');
    expect((await req(null, 'GET', '/api/public/tips/ZZZZZZZZZZ')).status).toBe(404);
    expect(
      (
        await req(
          null,
          'POST',
          '/api/public/tips',
          { ...tip, lon: 100, lat: 30 },
          { remoteAddress: '203.0.113.10' },
        )
      ).body.error.field,
    ).toBe('lon');
    expect(
      (
        await req(
          null,
          'POST',
          '/api/public/tips',
          { ...tip, photos: [{ data: Buffer.from('<html>').toString('base64') }] },
          { remoteAddress: '203.0.113.10' },
        )
      ).status,
    ).toBe(415);

    for (let i = 0; i < 5; i++)
      expect(
        (await req(null, 'POST', '/api/public/tips', tip, { remoteAddress: '203.0.113.7' })).status,
      ).toBe(200);
    const flood = await req(null, 'POST', '/api/public/tips', tip, {
      remoteAddress: '203.0.113.7',
    });
    expect(flood.status).toBe(429);
    expect(flood.body.error.message).toMatch(/too many tips/);
    expect(
      (await req(null, 'POST', '/api/public/tips', tip, { remoteAddress: '203.0.113.8' })).status,
    ).toBe(200);

    // a burst in parallel: the limit holds exactly
    const burst = await Promise.all(
      Array.from({ length: 8 }, () =>
        req(null, 'POST', '/api/public/tips', tip, { remoteAddress: '203.0.113.77' }),
      ),
    );
    expect(burst.map((b) => b.status).sort()).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);

    const page = await req(null, 'GET', '/tip');
    expect(page.status).toBe(200);
    expect(String(page.body)).toContain('违法占用耕地举报');

    const list = await req('zezhou', 'GET', '/api/tips?status=received');
    const mine = list.body.items.find((t: { receipt: string }) => t.receipt === r.body.receipt);
    expect(mine.jurisdictionCode).toBe('140525100200');
    expect((await req('gaoping', 'GET', '/api/tips')).body.items).toEqual([]);
    expect(
      (
        await req('village', 'POST', `/api/tips/${mine.id}/triage`, {
          outcome: 'accept',
          reason: '属实',
        })
      ).status,
    ).toBe(403);
    const tri = await req('zezhou', 'POST', `/api/tips/${mine.id}/triage`, {
      outcome: 'accept',
      reason: '经核对影像属实',
    });
    expect(tri.status, JSON.stringify(tri.body)).toBe(200);
    expect((await req('zezhou', 'GET', `/api/polygons/${tri.body.polygonId}`)).body.source).toBe(
      'tip',
    );
    expect(
      (
        await req('zezhou', 'POST', `/api/tips/${mine.id}/triage`, {
          outcome: 'reject',
          reason: 'x',
        })
      ).status,
    ).toBe(409);
    expect((await req(null, 'GET', `/api/public/tips/${r.body.receipt}`)).body.status).toBe(
      'accepted',
    );
  });

  it('takes camera alarms with the camera token only, once per event, and triages them into video 图斑', async () => {
    expect(
      (
        await req('zezhou', 'POST', '/api/cameras', {
          id: 'cam-1',
          jurisdictionCode: '140525100200',
          label: '南村东',
          lon: 112.04,
          lat: 35.04,
        })
      ).status,
    ).toBe(403);
    const reg = await req('admin', 'POST', '/api/cameras', {
      id: 'cam-1',
      jurisdictionCode: '140525100200',
      label: '南村东',
      lon: 112.04,
      lat: 35.04,
    });
    expect(reg.status).toBe(201);
    const alarm = {
      eventId: 'evt-1',
      at: at(0),
      snapshot: testPng(seed++).toString('base64'),
      lon: 112.041,
      lat: 35.041,
      bearing: 45,
    };
    expect((await req(null, 'POST', '/api/cameras/cam-1/events', alarm)).status).toBe(401);
    expect(
      (await req(null, 'POST', '/api/cameras/cam-1/events', alarm, { 'x-camera-token': 'wrong' }))
        .status,
    ).toBe(401);
    expect(
      (
        await req(null, 'POST', '/api/cameras/cam-9/events', alarm, {
          'x-camera-token': reg.body.token,
        })
      ).status,
    ).toBe(401);
    const ok = await req(null, 'POST', '/api/cameras/cam-1/events', alarm, {
      'x-camera-token': reg.body.token,
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const again = await req(null, 'POST', '/api/cameras/cam-1/events', alarm, {
      'x-camera-token': reg.body.token,
    });
    expect(again.body).toMatchObject({ id: ok.body.id, replayed: true });
    expect(
      (
        await req(
          null,
          'POST',
          '/api/cameras/cam-1/events',
          { ...alarm, eventId: 'evt-2', snapshot: Buffer.from('GIF89a').toString('base64') },
          { 'x-camera-token': reg.body.token },
        )
      ).status,
    ).toBe(415);
    const tri = await req('zezhou', 'POST', `/api/camera-events/${ok.body.id}/triage`, {
      outcome: 'accept',
      reason: '视频确认有施工',
    });
    expect(tri.status, JSON.stringify(tri.body)).toBe(200);
    const poly = await req('zezhou', 'GET', `/api/polygons/${tri.body.polygonId}`);
    expect(poly.body.source).toBe('video');
    expect(
      (await req('zezhou', 'GET', '/api/camera-events?status=accepted')).body.items,
    ).toHaveLength(1);
    expect(
      existsSync(join(DATA_DIR, 'evidence', sha256(Buffer.from(alarm.snapshot, 'base64')))),
    ).toBe(true);
  });
});
