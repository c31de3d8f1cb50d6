import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPath } from '../../src/geo/formats/gdal.ts';
import { syntheticPair, tempDir, utmGrid, writeMultiband } from '../../src/raster/test-fixtures.ts';
import { testServer, type TestServer } from '../../src/server/testing.ts';
import { importImagery } from '../../src/services/imagery.ts';
import { Scope } from '../../src/store/scope.ts';
import { testBackends } from '../../src/store/testing.ts';
import { seedOgcRegion, tokenOf } from './fixture.ts';

const run = promisify(execFile);
const hasGdal = onPath('gdalinfo') && onPath('gdal_translate');

/**
 * The stored imagery as a desktop GIS adds it: the XYZ tile URL with the token in a header
 * (QGIS "XYZ Tiles"), and the WMTS capabilities GDAL's WMTS driver (and QGIS's WMS/WMTS
 * layer) reads, fetching pixels through the same tiles.
 */
describe('imagery for desktop GIS: XYZ and WMTS', () => {
  const backend = testBackends()[0];
  let db: Awaited<ReturnType<typeof backend.open>>;
  let s: TestServer;
  let origin: string;
  let dir: string;
  let sceneId: number;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    db = await backend.open();
    await seedOgcRegion(db);
    dir = tempDir('gengbao-wmts-');
    // 1.28 km of synthetic Sentinel-2-like bands in 泽州县 (UTM 49N, about 112.3°E 36°N).
    const pair = syntheticPair(128);
    const file = writeMultiband(
      join(dir, 'scene.tif'),
      pair.after,
      utmGrid(128, 128, { originX: 617000, originY: 3990000 }),
    );
    sceneId = (
      await importImagery(db, Scope.system(), {
        location: file,
        date: '2026-11-17',
        jurisdictionCode: '140525',
        name: 'S2 泽州',
      })
    ).id;
    s = await testServer(db);
    await s.app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(s.app.server.address() as AddressInfo).port}`;
    for (const u of ['zezhou', 'gaoping']) tokens[u] = await tokenOf(s, u);
  });
  afterAll(async () => {
    await s?.close();
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const get = (path: string, who?: string) =>
    fetch(`${origin}${path}`, { headers: who ? { authorization: `Bearer ${tokens[who]}` } : {} });

  it('XYZ: the tile URL template answers a token in the Authorization header, and nobody without one', async () => {
    const listed = (await (await get('/api/imagery', 'zezhou')).json()) as {
      items: { id: number; tiles: string; bbox: number[] }[];
    };
    const scene = listed.items.find((i) => i.id === sceneId)!;
    expect(scene.tiles).toBe(`/api/imagery/${sceneId}/tiles/{z}/{x}/{y}.png`);
    // The tile holding the scene's centre at zoom 14.
    const [lon, lat] = [(scene.bbox[0] + scene.bbox[2]) / 2, (scene.bbox[1] + scene.bbox[3]) / 2];
    const z = 14;
    const x = Math.floor(((lon + 180) / 360) * 2 ** z);
    const r = (lat * Math.PI) / 180;
    const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
    const url = scene.tiles
      .replace('{z}', String(z))
      .replace('{x}', String(x))
      .replace('{y}', String(y));
    const tile = await get(url, 'zezhou');
    expect(tile.status).toBe(200);
    expect(tile.headers.get('content-type')).toBe('image/png');
    expect((await get(url)).status).toBe(401);
    // Another county's officer: the scene does not exist for them.
    expect((await get(url, 'gaoping')).status).toBe(404);
  });

  it("WMTS: capabilities list the caller's scenes on GoogleMapsCompatible with a ResourceURL to the XYZ tiles", async () => {
    for (const path of [
      '/ogc/wmts/1.0.0/WMTSCapabilities.xml',
      '/ogc/wmts?SERVICE=WMTS&REQUEST=GetCapabilities',
      '/ogc/wmts?service=wmts&request=getcapabilities',
    ]) {
      const res = await get(path, 'zezhou');
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
      const xml = await res.text();
      expect(xml).toContain(`<ows:Identifier>imagery-${sceneId}</ows:Identifier>`);
      expect(xml).toContain(
        `template="${origin}/api/imagery/${sceneId}/tiles/{TileMatrix}/{TileCol}/{TileRow}.png"`,
      );
      expect(xml).toContain(
        '<WellKnownScaleSet>urn:ogc:def:wkss:OGC:1.0:GoogleMapsCompatible</WellKnownScaleSet>',
      );
    }
    expect((await get('/ogc/wmts?SERVICE=WMTS&REQUEST=GetTile', 'zezhou')).status).toBe(400);
    expect(
      await (await get('/ogc/wmts/1.0.0/WMTSCapabilities.xml', 'gaoping')).text(),
    ).not.toContain('imagery-');
    const anonymous = await get('/ogc/wmts/1.0.0/WMTSCapabilities.xml');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it.skipIf(!hasGdal)(
    'WMTS: GDAL opens the layer with the token header and reads its pixels',
    async () => {
      // GDAL caches WMTS tiles in ./gdalwmscache unless told otherwise: keep them in the temp folder.
      const env = {
        ...process.env,
        GDAL_HTTP_HEADERS: `Authorization: Bearer ${tokens.zezhou}`,
        GDAL_DEFAULT_WMS_CACHE_PATH: join(dir, 'wmscache'),
      };
      const wmts = `WMTS:${origin}/ogc/wmts/1.0.0/WMTSCapabilities.xml,layer=imagery-${sceneId}`;
      const info = JSON.parse(
        (await run('gdalinfo', ['-json', wmts], { env, encoding: 'utf8' })).stdout,
      ) as { size: number[]; coordinateSystem: { wkt: string } };
      expect(info.coordinateSystem.wkt).toMatch(/Pseudo-Mercator|3857/);
      expect(info.size[0]).toBeGreaterThan(0);
      // A small overview of the scene: GDAL fetches the tiles it needs through the template.
      const out = join(dir, 'wmts.tif');
      await run('gdal_translate', ['-q', '-outsize', '64', '64', wmts, out], {
        env,
        encoding: 'utf8',
      });
      const stats = JSON.parse(
        (await run('gdalinfo', ['-json', '-stats', out], { encoding: 'utf8' })).stdout,
      ) as { bands: { maximum?: number }[] };
      expect(Math.max(...stats.bands.slice(0, 3).map((b) => b.maximum ?? 0))).toBeGreaterThan(0);
    },
  );
});
