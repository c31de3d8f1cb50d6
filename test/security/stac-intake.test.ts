import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crsFromEpsg } from '../../src/raster/crs.ts';
import { encodeGeoTiff } from '../../src/raster/geotiff-write.ts';
import { gridLonLatBox } from '../../src/raster/grid.ts';
import { syntheticPair, tempDir } from '../../src/raster/test-fixtures.ts';
import { buildServices } from '../../src/services/container.ts';
import { imageryRefusal } from '../../src/services/imagery-allow.ts';
import { seedFixtureRegion } from '../../src/server/testing.ts';
import { testBackends } from '../../src/store/testing.ts';
import { stacItem, stacServer } from '../support/stac-server.ts';

/**
 * The STAC intake reads only what GENGBAO_IMAGERY_ALLOW allows: a catalog naming another host,
 * a file:// asset or a redirect away is refused unread, with the same words whatever is there;
 * a catalog larger than the limit is refused; a catalog outside the list is refused at start.
 */
describe('the STAC intake stays inside the allow-list', () => {
  const backend = testBackends()[0];
  let db: Awaited<ReturnType<typeof backend.open>>;
  let allowed: Awaited<ReturnType<typeof stacServer>>;
  let elsewhere: Awaited<ReturnType<typeof stacServer>>;
  const dir = tempDir('gengbao-stac-sec-');
  const pair = syntheticPair(32, 3);
  const grid = {
    ...pair.grid,
    crs: crsFromEpsg(4490),
    originX: 112.02,
    originY: 35.06,
    pixelWidth: 0.0001,
    pixelHeight: 0.0001,
  };
  const box = gridLonLatBox(grid);
  const tif = encodeGeoTiff(pair.after, grid);
  const props = { datetime: '2026-04-14T03:00:00Z', platform: 'sentinel-2a' };
  const services = (catalog: string, policy = {}) =>
    buildServices({
      db,
      dataDir: dir,
      imageryAllow: allowed.url,
      stacCatalogs: catalog,
      stacPolicy: { pollSeconds: 0, documentTimeoutMs: 3000, assetTimeoutMs: 3000, ...policy },
    });

  beforeAll(async () => {
    db = await backend.open();
    await seedFixtureRegion(db);
    // Another host (another origin) with a scene and a catalog of its own: never to be asked.
    elsewhere = await stacServer({
      '/scene.tif': { body: tif, type: 'image/tiff' },
      '/item.json': { body: JSON.stringify(stacItem('theirs', box, '/scene.tif', props)) },
      '/catalog.json': { body: JSON.stringify({ type: 'Catalog', id: 'x', links: [] }) },
    });
    const big = JSON.stringify({
      type: 'Catalog',
      id: 'big',
      description: 'x'.repeat(300_000),
      links: [{ rel: 'item', href: './ok.json' }],
    });
    allowed = await stacServer({
      '/catalog.json': () => ({
        body: JSON.stringify({
          type: 'Catalog',
          id: 'c',
          links: [
            { rel: 'item', href: `${elsewhere.url}/item.json` },
            { rel: 'child', href: `${elsewhere.url}/catalog.json` },
            { rel: 'item', href: 'file:///etc/passwd' },
            { rel: 'item', href: './to-elsewhere.json' },
            { rel: 'item', href: './file-asset.json' },
            { rel: 'item', href: './redirect-asset.json' },
            { rel: 'item', href: './redirect-item.json' },
          ],
        }),
      }),
      '/to-elsewhere.json': {
        body: JSON.stringify(stacItem('a', box, `${elsewhere.url}/scene.tif`, props)),
      },
      '/file-asset.json': {
        body: JSON.stringify(stacItem('b', box, 'file:///etc/passwd', props)),
      },
      '/redirect-asset.json': {
        body: JSON.stringify(stacItem('c', box, '/bounce.tif', props)),
      },
      '/bounce.tif': { location: `${elsewhere.url}/scene.tif` },
      '/redirect-item.json': { location: `${elsewhere.url}/item.json` },
      '/big.json': { body: big, chunked: true },
      '/big-declared.json': { body: big },
      '/ok.json': { body: JSON.stringify(stacItem('ok', box, '/ok.tif', props)) },
      '/ok.tif': { body: tif, type: 'image/tiff' },
    });
  });
  afterAll(async () => {
    await db?.drop();
    await allowed?.close();
    await elsewhere?.close();
  });

  it('refuses another host, a file:// href and a redirect away, unread, with the words of any refusal', async () => {
    const s = services(`${allowed.url}/catalog.json`);
    try {
      const r = await s.stacIntake.poll();
      expect(r.registered).toEqual([]);
      expect(r.refused).toBe(7);
      expect(r.retry).toBe(0);
      expect(elsewhere.hits.size).toBe(0);
      const rows = await db.query<{ name: string; status: string; reason: string }>(
        `SELECT name, status, reason FROM intake_files ORDER BY id`,
      );
      expect(rows.every((x) => x.status === 'refused')).toBe(true);
      const words = imageryRefusal('x').message;
      for (const x of rows) expect(x.reason).toContain(words);
      // Nothing says whether /etc/passwd or the other host's files exist.
      expect(rows.some((x) => /passwd|ENOENT|no such|not found|ECONNREFUSED/i.test(x.reason))).toBe(
        false,
      );
      expect(
        existsSync(join(dir, 'imagery', 'stac')) ? readdirSync(join(dir, 'imagery', 'stac')) : [],
      ).toEqual([]);
      // Polled again: each refusal is recorded once, and still nothing is asked elsewhere.
      expect((await s.stacIntake.poll()).refused).toBe(0);
      expect(elsewhere.hits.size).toBe(0);
    } finally {
      await s.close();
    }
  });

  it('refuses a catalog larger than the limit, with or without a Content-Length, and reads nothing it names', async () => {
    for (const path of ['/big.json', '/big-declared.json']) {
      const s = services(`${allowed.url}${path}`, { maxDocumentBytes: 100_000 });
      try {
        const r = await s.stacIntake.poll();
        expect(r).toMatchObject({ registered: [], refused: 1 });
      } finally {
        await s.close();
      }
    }
    const rows = await db.query<{ reason: string }>(
      `SELECT reason FROM intake_files WHERE name LIKE '%big%'`,
    );
    expect(rows.length).toBe(2);
    for (const x of rows) expect(x.reason).toMatch(/^目录超过大小上限 100000 字节/);
    expect(allowed.hits.get('/ok.json')).toBeUndefined();
    expect(allowed.hits.get('/ok.tif')).toBeUndefined();
  });

  it('refuses an asset larger than the limit and keeps no part of it', async () => {
    const s = services(`${allowed.url}/big-declared.json`, { maxAssetBytes: 1000 });
    try {
      const r = await s.stacIntake.poll();
      expect(r).toMatchObject({ registered: [], refused: 1 });
      const [row] = await db.query<{ reason: string }>(
        `SELECT reason FROM intake_files WHERE name = 'ok/image'`,
      );
      expect(row.reason).toMatch(/影像文件超过大小上限 1000 字节/);
      expect(readdirSync(join(dir, 'imagery', 'stac'))).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('refuses at start a catalog outside GENGBAO_IMAGERY_ALLOW or not http(s), in Chinese', () => {
    expect(() => services(`${elsewhere.url}/catalog.json`)).toThrow(
      /不在 GENGBAO_IMAGERY_ALLOW 中/,
    );
    expect(() => services('file:///srv/stac/catalog.json')).toThrow(/不是 http\(s\) 地址/);
    expect(() => services('stac/catalog.json')).toThrow(/不是 http\(s\) 地址/);
    expect(elsewhere.hits.size).toBe(0);
  });
});
