import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crsFromEpsg } from '../../raster/crs.ts';
import { encodeGeoTiff } from '../../raster/geotiff-write.ts';
import { insertReferenceLayer } from '../../store/reference.ts';
import { Scope } from '../../store/scope.ts';
import { testBackends } from '../../store/testing.ts';
import { seedFixtureRegion, square, testServer, type TestServer } from '../testing.ts';

/** The XYZ tile holding a point (OSM wiki formula, independent of the server's tile math). */
function tileOf(lon: number, lat: number, z: number) {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return {
    z,
    x: Math.floor(((lon + 180) / 360) * n),
    y: Math.floor(((1 - Math.asinh(Math.tan(r)) / Math.PI) / 2) * n),
  };
}
const path = (layer: string, t: { z: number; x: number; y: number }) =>
  `/api/tiles/${layer}/${t.z}/${t.x}/${t.y}.mvt`;

describe.each(testBackends())('tiles, imagery and search on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  let s: TestServer;
  let zezhou: string;
  let gaoping: string;
  const dir = mkdtempSync(join(tmpdir(), 'gengbao-tiles-'));

  beforeAll(async () => {
    db = await backend.open();
    await seedFixtureRegion(db);
    await insertReferenceLayer(
      db,
      Scope.system(),
      { kind: 'farmland', name: 'test farmland', jurisdictionCode: '140525', source: 'test' },
      [
        {
          jurisdictionCode: '140525100200',
          geometry: square(112.005, 35.005, 0.02),
          properties: {},
        },
      ],
    );
    // A 200×100 px 4-band image (blue, green, red, NIR) over P-NANCUN: red high in the left half, blue in the right.
    const width = 200,
      height = 100;
    const bands = [0, 1, 2, 3].map(() => new Uint16Array(width * height));
    for (let r = 0; r < height; r++)
      for (let c = 0; c < width; c++) {
        const left = c < width / 2;
        bands[0][r * width + c] = left ? 100 + (c % 7) : 3000 + (r % 5);
        bands[1][r * width + c] = 500 + ((r + c) % 11);
        bands[2][r * width + c] = left ? 3000 + (r % 5) : 100 + (c % 7);
        bands[3][r * width + c] = 2000;
      }
    const grid = {
      width,
      height,
      crs: crsFromEpsg(4490),
      originX: 112.0,
      originY: 35.02,
      pixelWidth: 0.0001,
      pixelHeight: 0.0001,
    };
    const file = join(dir, 'after.tif');
    writeFileSync(file, encodeGeoTiff(bands, grid));
    await db.query(
      "INSERT INTO imagery (name, acquired_on, uri, jurisdiction_code, bbox, meta) VALUES ('after', '2026-10-15', $1, '140525100', box(point(112.0, 35.01), point(112.02, 35.02)), '{\"role\":\"after\"}')",
      [file],
    );
    s = await testServer(db, { now: () => new Date('2026-12-15T00:00:00Z') });
    zezhou = await s.login('zezhou');
    gaoping = await s.login('gaoping');
  });
  afterAll(async () => {
    await s?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (url: string, cookie?: string, headers: Record<string, string> = {}) =>
    s.app.inject({ method: 'GET', url, headers: { ...(cookie ? { cookie } : {}), ...headers } });
  const decode = (body: Buffer) => new VectorTile(new PbfReader(body));

  it('serves 图斑 as vector tiles with status, only to callers whose jurisdiction holds them', async () => {
    const t = tileOf(112.011, 35.011, 15);
    const res = await get(path('polygons', t), zezhou);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
    const layer = decode(res.rawPayload).layers.polygons;
    expect(layer.length).toBe(1);
    const f = layer.feature(0);
    expect(f.properties).toMatchObject({
      code: 'P-NANCUN',
      status: 'found',
      period: '2026-11',
      source: 'detection',
    });
    expect(f.type).toBe(3); // polygon at zoom 15
    const gj = f.toGeoJSON(t.x, t.y, t.z);
    const ring = (gj.geometry as GeoJSON.Polygon).coordinates[0];
    expect(Math.min(...ring.map((p) => p[0]))).toBeCloseTo(112.01, 4);
    expect(Math.max(...ring.map((p) => p[1]))).toBeCloseTo(35.012, 4);

    // 高平 sees nothing of 泽州 — an empty tile, not an error that would reveal the polygon exists
    const other = await get(path('polygons', t), gaoping);
    expect(other.statusCode).toBe(200);
    expect(other.rawPayload.length).toBe(0);
    // …and 泽州 nothing of 高平
    expect(
      (await get(path('polygons', tileOf(113.501, 35.501, 15)), zezhou)).rawPayload.length,
    ).toBe(0);
    expect(
      decode((await get(path('polygons', tileOf(113.501, 35.501, 15)), gaoping)).rawPayload).layers
        .polygons.length,
    ).toBe(1);
  });

  it('sends 图斑 as points below zoom 13 so a whole county stays visible', async () => {
    const t = tileOf(112.011, 35.011, 10);
    const layer = decode((await get(path('polygons', t), zezhou)).rawPayload).layers.polygons;
    const codes = Array.from({ length: layer.length }, (_, i) => layer.feature(i)).map((f) => [
      f.properties.code,
      f.type,
    ]);
    expect(codes).toContainEqual(['P-NANCUN', 1]);
  });

  it('serves reference layers and boundaries by level, empty below their minimum zoom', async () => {
    const t = tileOf(112.011, 35.011, 12);
    const farmland = decode((await get(path('farmland', t), zezhou)).rawPayload).layers.farmland;
    expect(farmland.length).toBe(1);
    expect(farmland.feature(0).properties.kind).toBe('farmland');
    const county = decode((await get(path('county', t), zezhou)).rawPayload).layers.county;
    expect(county.feature(0).properties).toMatchObject({ code: '140525', name: '泽州县' });
    expect(
      (await get(path('farmland', tileOf(112.011, 35.011, 11)), zezhou)).rawPayload.length,
    ).toBe(0);
  });

  it('revalidates with ETags: the same tile answers 304, a changed 图斑 changes the tag', async () => {
    const t = tileOf(112.011, 35.011, 15);
    const first = await get(path('polygons', t), zezhou);
    const etag = String(first.headers.etag);
    expect(first.headers['cache-control']).toMatch(/no-cache/);
    expect((await get(path('polygons', t), zezhou, { 'if-none-match': etag })).statusCode).toBe(
      304,
    );
    await db.query(
      "UPDATE polygons SET status = 'pushed', version = version + 1, updated_at = now() WHERE code = 'P-NANCUN'",
    );
    await new Promise((r) => setTimeout(r, 1100)); // the stamps are reused for one second
    const after = await get(path('polygons', t), zezhou, { 'if-none-match': etag });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
    expect(decode(after.rawPayload).layers.polygons.feature(0).properties.status).toBe('pushed');
  });

  it('refuses unknown layers, impossible tiles and anonymous callers with coded errors', async () => {
    expect((await get('/api/tiles/parcels/1/0/0.mvt', zezhou)).json()).toMatchObject({
      error: { code: 'not_found', field: 'layer' },
    });
    expect((await get('/api/tiles/polygons/3/8/0.mvt', zezhou)).json()).toMatchObject({
      error: { code: 'bad_input', field: 'x' },
    });
    expect((await get('/api/tiles/polygons/3/0/0.png', zezhou)).statusCode).toBe(400);
    expect((await get('/api/tiles/polygons/3/0/0.mvt')).statusCode).toBe(401);
  });

  it('lists imagery in scope without its file path and renders true-colour PNG tiles', async () => {
    const list = (await get('/api/imagery', zezhou)).json();
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ name: 'after', role: 'after', acquiredOn: '2026-10-15' });
    expect(JSON.stringify(list)).not.toContain(dir);
    expect((await get('/api/imagery', gaoping)).json().items).toHaveLength(0);
    const id = list.items[0].id;

    // zoom 15 around the image centre: left half red, right half blue, outside transparent
    const t = tileOf(112.01, 35.015, 15);
    const res = await get(`/api/imagery/${id}/tiles/${t.z}/${t.x}/${t.y}.png`, zezhou);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    const png = PNG.sync.read(res.rawPayload);
    const px = (lon: number, lat: number) => {
      const n = 2 ** t.z;
      const fx = ((lon + 180) / 360) * n - t.x;
      const r = (lat * Math.PI) / 180;
      const fy = ((1 - Math.asinh(Math.tan(r)) / Math.PI) / 2) * n - t.y;
      const i = (Math.floor(fy * 256) * 256 + Math.floor(fx * 256)) * 4;
      return [...png.data.subarray(i, i + 4)];
    };
    const [rL, , bL, aL] = px(112.0095, 35.015);
    const [rR, , bR, aR] = px(112.0105, 35.015);
    expect(aL).toBe(255);
    expect(aR).toBe(255);
    expect(rL).toBeGreaterThan(200);
    expect(bL).toBeLessThan(50);
    expect(bR).toBeGreaterThan(200);
    expect(rR).toBeLessThan(50);
    // a tile far from the image is 204 (drawn empty)
    const far = tileOf(112.5, 35.5, 15);
    expect(
      (await get(`/api/imagery/${id}/tiles/${far.z}/${far.x}/${far.y}.png`, zezhou)).statusCode,
    ).toBe(204);
    // and an image outside the caller's scope does not exist for them
    expect(
      (await get(`/api/imagery/${id}/tiles/${t.z}/${t.x}/${t.y}.png`, gaoping)).json(),
    ).toMatchObject({ error: { code: 'not_found' } });
  });

  it('searches 图斑 by code and places by name inside the scope, and counts 图斑 for the dashboard', async () => {
    const hits = (await get(`/api/search?q=${encodeURIComponent('P-')}`, zezhou)).json().items;
    expect(hits.map((h: { label: string }) => h.label).sort()).toEqual(['P-BEICUN', 'P-NANCUN']);
    const places = (await get(`/api/search?q=${encodeURIComponent('村')}`, zezhou)).json().items;
    expect(places.map((h: { label: string }) => h.label)).toEqual(
      expect.arrayContaining(['南村镇', '南村', '北村']),
    );
    expect((await get(`/api/search?q=${encodeURIComponent('%')}`, zezhou)).json().items).toEqual(
      [],
    );
    expect((await get('/api/search?q=', zezhou)).json()).toMatchObject({
      error: { code: 'bad_input' },
    });
    const stats = (await get('/api/stats/polygons', zezhou)).json().items;
    expect(stats.reduce((n: number, r: { count: number }) => n + r.count, 0)).toBe(2);
    expect(stats.every((r: { countyCode: string }) => r.countyCode === '140525')).toBe(true);
  });

  it('lists overdue 图斑 from the deadlines in their case state, by the server clock, inside the scope', async () => {
    const deadlines = (d: object[]) => JSON.stringify({ deadlines: d });
    await db.query(`UPDATE polygons SET case_state = $1::jsonb WHERE code = 'P-BEICUN'`, [
      deadlines([
        {
          kind: 'verify',
          scope: '140525100201',
          startedAt: '2026-11-20T00:00:00Z',
          dueAt: '2026-12-06T00:00:00Z',
        },
        {
          kind: 'county_result',
          scope: '140525',
          startedAt: '2026-11-20T00:00:00Z',
          dueAt: '2026-12-10T00:00:00Z',
        },
      ]),
    ]);
    // done in time, and due later than the clock: neither is overdue
    await db.query(`UPDATE polygons SET case_state = $1::jsonb WHERE code = 'P-NANCUN'`, [
      deadlines([
        {
          kind: 'verify',
          scope: '140525100200',
          startedAt: '2026-11-20T00:00:00Z',
          dueAt: '2026-12-06T00:00:00Z',
          doneAt: '2026-12-01T00:00:00Z',
        },
        {
          kind: 'county_result',
          scope: '140525',
          startedAt: '2026-11-20T00:00:00Z',
          dueAt: '2026-12-20T00:00:00Z',
        },
      ]),
    ]);
    await db.query(`UPDATE polygons SET case_state = $1::jsonb WHERE code = 'P-GAOPING'`, [
      deadlines([
        {
          kind: 'verify',
          scope: '140581',
          startedAt: '2026-11-20T00:00:00Z',
          dueAt: '2026-12-01T00:00:00Z',
        },
      ]),
    ]);
    const body = (await get('/api/queues/overdue', zezhou)).json();
    expect(body.items.map((p: { code: string; deadline: string }) => [p.code, p.deadline])).toEqual(
      [['P-BEICUN', 'verify']],
    );
    expect(body.items[0].dueAt).toBe('2026-12-06T00:00:00Z');
    expect(
      (await get('/api/queues/overdue', gaoping)).json().items.map((p: { code: string }) => p.code),
    ).toEqual(['P-GAOPING']);
    expect((await get('/api/queues/overdue?period=2026-10', zezhou)).json().items).toEqual([]);
    expect((await get('/api/queues/overdue?period=2026', zezhou)).json()).toMatchObject({
      error: { code: 'bad_input' },
    });
  });

  it('counts and lists 图斑 by the verdict and farmland 亩 in their case state', async () => {
    await db.query(
      `UPDATE polygons SET case_state = coalesce(case_state, '{}'::jsonb) || $1::jsonb WHERE code = 'P-NANCUN'`,
      [
        JSON.stringify({
          analysis: { layerMu: { farmland: 3.25 } },
          determination: { category: 'illegal', illegalSubtype: 'new' },
        }),
      ],
    );
    const stats = (await get('/api/stats/polygons', zezhou)).json().items as {
      verdict: string;
      count: number;
      farmlandMu: number;
    }[];
    expect(stats.find((r) => r.verdict === 'illegal')).toMatchObject({
      count: 1,
      farmlandMu: 3.25,
    });
    expect(stats.find((r) => r.verdict === 'none')).toMatchObject({ count: 1, farmlandMu: 0 });
    expect(
      (await get('/api/queues/verdict/illegal', zezhou))
        .json()
        .items.map((p: { code: string }) => p.code),
    ).toEqual(['P-NANCUN']);
    expect(
      (await get('/api/queues/verdict/none', zezhou))
        .json()
        .items.map((p: { code: string }) => p.code),
    ).toEqual(['P-BEICUN']);
    expect((await get('/api/queues/verdict/illegal', gaoping)).json().items).toEqual([]);
    expect((await get('/api/queues/verdict/guilty', zezhou)).json()).toMatchObject({
      error: { code: 'bad_input' },
    });
  });
});
