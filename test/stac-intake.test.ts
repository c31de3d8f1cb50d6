import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMonitoringLoop } from '../src/jobs/scheduler.ts';
import { crsFromEpsg } from '../src/raster/crs.ts';
import { encodeGeoTiff } from '../src/raster/geotiff-write.ts';
import { gridLonLatBox } from '../src/raster/grid.ts';
import { syntheticPair, tempDir } from '../src/raster/test-fixtures.ts';
import { seedFixtureRegion, testServer, type TestServer } from '../src/server/testing.ts';
import { getImagery } from '../src/store/imagery.ts';
import { Scope } from '../src/store/scope.ts';
import { testBackends } from '../src/store/testing.ts';
import { stacItem, stacServer, type Served } from './support/stac-server.ts';

/**
 * The STAC intake (issue 24): scenes registered from a static catalog on the intranet, served
 * here by node:http with small GeoTIFFs generated in the test (inside the fixture village 南村).
 */
describe.each(testBackends())('the STAC catalog intake on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  let s: TestServer;
  let stac: Awaited<ReturnType<typeof stacServer>>;
  const dir = tempDir('gengbao-stac-');
  const pair = syntheticPair(64, 7);
  const grid = {
    ...pair.grid,
    crs: crsFromEpsg(4490),
    originX: 112.02,
    originY: 35.06,
    pixelWidth: 0.0001,
    pixelHeight: 0.0001,
  };
  const box = gridLonLatBox(grid);
  const before = encodeGeoTiff(pair.before, grid);
  const after = encodeGeoTiff(pair.after, grid);
  let flaky = 0;

  beforeAll(async () => {
    db = await backend.open();
    await seedFixtureRegion(db);
    const routes: Record<string, Served | (() => Served)> = {
      '/stac/catalog.json': {
        body: JSON.stringify({
          type: 'Catalog',
          stac_version: '1.0.0',
          id: 'jincheng',
          description: 'intranet',
          links: [
            { rel: 'self', href: './catalog.json' },
            { rel: 'child', href: './s2/collection.json' },
            { rel: 'child', href: './landsat/collection.json' },
            { rel: 'item', href: './misc/undated.json' },
          ],
        }),
      },
      '/stac/s2/collection.json': {
        body: JSON.stringify({
          type: 'Collection',
          stac_version: '1.0.0',
          id: 's2',
          links: [
            { rel: 'item', href: './S2B_49SGU_20260315_0_L2A.json' },
            // The same item listed twice: registered once.
            { rel: 'item', href: './S2B_49SGU_20260315_0_L2A.json?again' },
            { rel: 'item', href: './missing-asset.json' },
          ],
        }),
      },
      '/stac/s2/S2B_49SGU_20260315_0_L2A.json': {
        body: JSON.stringify(
          stacItem('S2B_49SGU_20260315_0_L2A', box, '../../cogs/s2-0315.tif', {
            datetime: '2026-03-15T03:15:39Z',
            platform: 'sentinel-2b',
            constellation: 'sentinel-2',
            instruments: ['msi'],
            'eo:cloud_cover': 12.5,
            'proj:epsg': 4490,
          }),
        ),
      },
      '/stac/s2/missing-asset.json': {
        body: JSON.stringify(
          stacItem('gone', box, '../../cogs/gone.tif', {
            datetime: '2026-03-20T03:15:39Z',
            platform: 'sentinel-2a',
          }),
        ),
      },
      '/stac/landsat/collection.json': {
        body: JSON.stringify({
          type: 'FeatureCollection',
          features: [
            stacItem('scene-0414', box, 'http://HOST/redirect/l9.tif', {
              datetime: '2026-04-14T02:50:00Z',
              platform: 'landsat-9',
              instruments: ['oli', 'tirs'],
              'eo:cloud_cover': 3,
            }),
            stacItem('flaky', box, '/flaky.tif', {
              datetime: '2026-04-20T02:50:00Z',
              platform: 'landsat-8',
            }),
          ],
          links: [],
        }),
      },
      '/stac/misc/undated.json': {
        body: JSON.stringify(
          stacItem('undated', box, '../../cogs/undated.tif', { platform: 'sentinel-2a' }),
        ),
      },
      '/cogs/s2-0315.tif': { body: before, type: 'image/tiff' },
      '/cogs/undated.tif': { body: Buffer.concat([before, Buffer.from([1])]), type: 'image/tiff' },
      // Within the allowed origin: the redirect is followed.
      '/redirect/l9.tif': { location: '/cogs/l9-0414.tif' },
      '/cogs/l9-0414.tif': { body: after, type: 'image/tiff' },
      // A server having a bad moment: nothing recorded, taken on the next poll.
      '/flaky.tif': () =>
        flaky++ === 0
          ? { status: 503 }
          : { body: encodeGeoTiff(pair.after, { ...grid, originX: 112.021 }), type: 'image/tiff' },
    };
    stac = await stacServer(routes);
    const landsat = routes['/stac/landsat/collection.json'] as Served;
    landsat.body = String(landsat.body).replace('http://HOST', stac.url);
    s = await testServer(db, {
      dataDir: dir,
      imageryAllow: stac.url,
      deps: {
        stacCatalogs: `${stac.url}/stac/catalog.json`,
        stacPolicy: { pollSeconds: 0, documentTimeoutMs: 5000, assetTimeoutMs: 5000 },
      },
    });
  });
  afterAll(async () => {
    await s?.close();
    await db?.drop();
    await stac?.close();
  });

  it('registers each item’s GeoTIFF asset with the item’s date, sensor and cloud cover, through the loop’s tick', async () => {
    const loop = startMonitoringLoop(s.services, { intervalMs: 3_600_000, log: () => {} });
    const tick = await loop.tick();
    await loop.stop();
    expect(tick.errors).toEqual([]);
    expect(tick.stac).toMatchObject({ catalogs: 1, duplicate: 0, refused: 2, retry: 1 });
    expect(tick.stac!.registered.length).toBe(2);

    const scenes = await Promise.all(
      tick.stac!.registered.map((id) => getImagery(db, Scope.system(), id)),
    );
    const s2 = scenes.find((x) => x!.meta.sensor === 's2')!;
    expect(s2).toMatchObject({
      name: 'S2B_49SGU_20260315_0_L2A/image',
      acquiredOn: '2026-03-15',
      jurisdictionCode: '140525100200',
    });
    expect(s2.meta).toMatchObject({
      cloudShare: 0.125,
      crs: 'EPSG:4490',
      intake: {
        from: { date: 'sidecar', sensor: 'sidecar' },
        stac: {
          catalog: `${stac.url}/stac/catalog.json`,
          item: 'S2B_49SGU_20260315_0_L2A',
          asset: 'image',
          href: `${stac.url}/cogs/s2-0315.tif`,
        },
      },
    });
    // Copied in: later reads are local.
    expect(s2.uri.startsWith(join(dir, 'imagery', 'stac'))).toBe(true);
    const l9 = scenes.find((x) => x!.meta.sensor === 'landsat-oli')!;
    expect(l9).toMatchObject({ acquiredOn: '2026-04-14', meta: { cloudShare: 0.03 } });
    expect(stac.hits.get('/stac/s2/S2B_49SGU_20260315_0_L2A.json')).toBe(2);
    expect(stac.hits.get('/cogs/s2-0315.tif')).toBe(1);
    expect(stac.hits.get('/cogs/l9-0414.tif')).toBe(1);
    // Never read: the thumbnail.
    expect(stac.hits.get('/stac/s2/S2B_49SGU_20260315_0_L2A.png')).toBeUndefined();
  });

  it('logs refusals with the reason in Chinese, where the office app lists the intake', async () => {
    const province = await s.login('province');
    const items = (
      await s.app.inject({
        method: 'GET',
        url: '/api/monitoring/intake',
        headers: { cookie: province },
      })
    ).json().items as { name: string; status: string; reason: string | null }[];
    expect(items.find((f) => f.name === 'undated/image')).toMatchObject({ status: 'refused' });
    expect(items.find((f) => f.name === 'undated/image')!.reason).toMatch(/^无法读取成像日期/);
    expect(items.find((f) => f.name === 'gone/image')!.reason).toMatch(/服务器回答 404/);
    expect(
      items
        .filter((f) => f.status === 'registered')
        .map((f) => f.name)
        .sort(),
    ).toEqual(['S2B_49SGU_20260315_0_L2A/image', 'scene-0414/image']);
    // A refused download leaves no file behind.
    expect(readdirSync(join(dir, 'imagery', 'stac')).filter((f) => f.startsWith('.part'))).toEqual(
      [],
    );
  });

  it('adds nothing twice: the next poll re-reads the catalog but no asset it already has; the failed one is taken now', async () => {
    const again = await s.services.stacIntake.poll();
    expect(again).toMatchObject({ catalogs: 1, duplicate: 0, refused: 0, retry: 0 });
    expect(again.registered.length).toBe(1);
    expect(stac.hits.get('/cogs/s2-0315.tif')).toBe(1);
    expect(stac.hits.get('/cogs/l9-0414.tif')).toBe(1);
    expect(stac.hits.get('/flaky.tif')).toBe(2);
    // Items whose assets are all recorded are not read again by this process.
    expect(stac.hits.get('/stac/s2/S2B_49SGU_20260315_0_L2A.json')).toBe(2);
    const third = await s.services.stacIntake.poll();
    expect(third).toMatchObject({ registered: [], duplicate: 0, refused: 0, retry: 0 });
    const rows = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM imagery WHERE meta -> 'intake' ? 'stac'`,
    );
    expect(Number(rows[0].n)).toBe(3);
  });

  it('a second service polling the same catalog (another process) registers nothing again', async () => {
    const other = await testServer(db, {
      dataDir: dir,
      imageryAllow: stac.url,
      deps: { stacCatalogs: `${stac.url}/stac/catalog.json`, stacPolicy: { pollSeconds: 0 } },
    });
    try {
      const r = await other.services.stacIntake.poll();
      expect(r).toMatchObject({ registered: [], duplicate: 0, refused: 0 });
      expect(stac.hits.get('/cogs/s2-0315.tif')).toBe(1);
    } finally {
      await other.close();
    }
  });
});
