import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../src/raster/test-fixtures.ts';
import { SYSTEM_ACTOR } from '../../src/services/cases.ts';
import {
  seedFixtureRegion,
  square,
  testServer,
  type TestServer,
} from '../../src/server/testing.ts';
import { Scope } from '../../src/store/scope.ts';
import { testBackends } from '../../src/store/testing.ts';
import { capture, testPng, uuid } from '../field/fixtures.ts';

/**
 * Finding: geometry handed in on write paths was taken as it came. Self-intersecting and
 * unclosed rings were stored with area 0, one polygon of a million vertices stalled every
 * user, out-of-range coordinates gave a 500, and tip triage and patrol findings accepted
 * geometry in another county. Every path now runs one check (src/geo/validate-input.ts,
 * placed by src/services/geometry-input.ts): errors in Chinese and English, nothing changed.
 */

const ring = (pts: number[][]) => ({ type: 'Polygon', coordinates: [pts] });
const BOWTIE = ring([
  [112.01, 35.01],
  [112.02, 35.02],
  [112.02, 35.01],
  [112.01, 35.02],
  [112.01, 35.01],
]);
const UNCLOSED = ring([
  [112.01, 35.01],
  [112.02, 35.01],
  [112.02, 35.02],
  [112.01, 35.02],
]);
const FAR = ring([
  [500, 35],
  [501, 35],
  [501, 36],
  [500, 35],
]);
/** In 高平市 (140581), another county than 泽州县's tips and chiefs. */
const GAOPING = square(113.4, 35.4, 0.01);
function many(n: number) {
  const pts = Array.from({ length: n - 1 }, (_, i) => {
    const a = (i / (n - 1)) * 2 * Math.PI;
    return [112.05 + 0.01 * Math.cos(a), 35.05 + 0.01 * Math.sin(a)];
  });
  return ring([...pts, pts[0]]);
}

describe.each(testBackends())('geometry on every write path is checked on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  let s: TestServer;
  const dir = tempDir('gengbao-geom-');
  let seed = 1;
  const now = new Date();

  beforeAll(async () => {
    db = await backend.open();
    await seedFixtureRegion(db);
    s = await testServer(db, { dataDir: dir, now: () => now });
  });
  afterAll(async () => {
    await s?.close();
    await db?.drop();
  });

  const polygonCount = async () =>
    (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM polygons'))[0].n;
  const post = async (user: string, url: string, payload: unknown) =>
    s.app.inject({
      method: 'POST',
      url,
      headers: { cookie: await s.login(user) },
      payload: payload as object,
    });

  async function newTip(): Promise<number> {
    await s.services.fieldLeads.submitTip(`198.51.100.${seed++}`, {
      lon: 112.015,
      lat: 35.015,
      description: '耕地上建房',
      photos: [],
      anonymous: true,
    });
    const [row] = await db.query<{ id: number }>(
      `SELECT id FROM public_tips ORDER BY id DESC LIMIT 1`,
    );
    return Number(row.id);
  }

  it('tip triage refuses invalid, oversized, out-of-range and out-of-county outlines, changing nothing', async () => {
    const id = await newTip();
    const before = await polygonCount();
    const triage = (geometry: unknown) =>
      post('zezhou', `/api/tips/${id}/triage`, { outcome: 'accept', reason: '属实', geometry });
    const bowtie = await triage(BOWTIE);
    expect(bowtie.statusCode).toBe(400);
    expect(bowtie.json().error.message).toMatch(/边自相交.*self-intersection/);
    expect((await triage(UNCLOSED)).json().error.message).toMatch(/环未闭合.*unclosed ring/);
    const far = await triage(FAR);
    expect(far.statusCode).toBe(400);
    expect(far.json().error.message).toMatch(/outside longitude/);
    const started = performance.now();
    const big = await triage(many(20_000));
    expect(big.statusCode).toBe(400);
    expect(big.json().error.message).toMatch(/顶点过多.*too many vertices/);
    expect(performance.now() - started).toBeLessThan(3000);
    const elsewhere = await triage(GAOPING);
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.json().error.code).toBe('forbidden_jurisdiction');
    expect(await polygonCount()).toBe(before);
    const [tip] = await db.query<{ status: string }>(
      `SELECT status FROM public_tips WHERE id = $1`,
      [id],
    );
    expect(tip.status).toBe('received');
    // A valid outline in the county is still taken.
    const ok = await triage(square(112.012, 35.012, 0.001));
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await polygonCount()).toBe(before + 1);
  });

  it('patrol findings refuse an invalid footprint and one (or a point) in another county', async () => {
    const patrol = (await post('village', '/api/patrols', {})).json().id;
    const before = await polygonCount();
    const finding = (extra: Record<string, unknown>) =>
      post('village', `/api/patrols/${patrol}/findings`, {
        id: uuid(),
        lon: 112.025,
        lat: 35.021,
        description: '新建围墙',
        photos: [capture(testPng(seed++), now.toISOString(), 112.0251, 35.0211)],
        ...extra,
      });
    expect((await finding({ geometry: BOWTIE })).statusCode).toBe(400);
    expect((await finding({ geometry: UNCLOSED })).statusCode).toBe(400);
    const far = await finding({ geometry: GAOPING });
    expect(far.statusCode).toBe(403);
    expect(far.json().error.code).toBe('forbidden_jurisdiction');
    const point = await finding({ lon: 113.405, lat: 35.405 });
    expect(point.statusCode).toBe(403);
    expect(await polygonCount()).toBe(before);
    const ok = await finding({ geometry: square(112.024, 35.02, 0.001) });
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('a polygon batch with an oversized feature is refused whole', async () => {
    const path = join(dir, 'batch.geojson');
    const features = [square(112.03, 35.03, 0.001), many(10_001)].map((geometry, i) => ({
      type: 'Feature',
      properties: { JCBH: `GEOM-${i}` },
      geometry,
    }));
    writeFileSync(path, JSON.stringify({ type: 'FeatureCollection', features }));
    const before = await polygonCount();
    const err = await s.services.imports
      .polygonBatch(Scope.system(), SYSTEM_ACTOR, { path, period: '2026-11' })
      .catch((e) => e);
    expect(err).toMatchObject({ code: 'bad_input', field: 'geometry' });
    expect(err.message).toMatch(/GEOM-1 \(feature 2\).*too many vertices.*nothing was imported/);
    expect(await polygonCount()).toBe(before);
  });
});
