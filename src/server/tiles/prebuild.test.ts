import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertPolygons } from '../../store/polygons.ts';
import { Scope } from '../../store/scope.ts';
import { testBackends } from '../../store/testing.ts';
import { TileFiles } from '../../store/tile-files.ts';
import { seedFixtureRegion, square, testServer, type TestServer } from '../testing.ts';
import { prebuildTiles } from './prebuild.ts';

/** Slippy-map tile of a point (the OSM formula). */
const tileAt = (lon: number, lat: number, z: number) => ({
  z,
  x: Math.floor(((lon + 180) / 360) * 2 ** z),
  y: Math.floor(((1 - Math.asinh(Math.tan((lat * Math.PI) / 180)) / Math.PI) / 2) * 2 ** z),
});

describe.each(testBackends())('map tiles built ahead onto disk on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  let dir: string;
  let files: TileFiles;
  let s: TestServer;
  let plain: TestServer;
  let cookie: string;
  beforeAll(async () => {
    db = await backend.open();
    await seedFixtureRegion(db);
    dir = mkdtempSync(join(tmpdir(), 'gengbao-tiles-'));
    files = new TileFiles(dir);
    s = await testServer(db, { tileFiles: files });
    plain = await testServer(db);
    cookie = await s.login('zezhou');
  });
  afterAll(async () => {
    await s?.close();
    await plain?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });
  const tile = async (app: TestServer, path: string) => {
    const r = await app.app.inject({ method: 'GET', url: path, headers: { cookie } });
    expect(r.statusCode, path).toBe(200);
    return r.rawPayload;
  };

  it('builds the tiles holding data for each province, city and county scope, then skips what has not changed', async () => {
    const first = await prebuildTiles(db, files);
    expect(first.scopes).toBe(4); // 140000, 140500, 140525, 140581
    expect(first.built).toBeGreaterThan(0);
    const again = await prebuildTiles(db, files);
    expect(again.built).toBe(0);
  });

  it('serves the file a request would have built, and an empty tile of a complete zoom without building it', async () => {
    const t = tileAt(112.011, 35.011, 14); // P-NANCUN
    const path = `/api/tiles/polygons/${t.z}/${t.x}/${t.y}.mvt`;
    const stored = await files.read({
      layer: 'polygons',
      scope: '140525',
      stamp: (await stampOf()).polygons,
      ...t,
    });
    expect(stored).toBeInstanceOf(Uint8Array);
    const fromDisk = await tile(s, path);
    expect(Buffer.compare(fromDisk, Buffer.from(stored as Uint8Array))).toBe(0);
    expect(Buffer.compare(fromDisk, await tile(plain, path))).toBe(0);
    const far = tileAt(112.9, 35.9, 14); // inside 泽州县's box, no 图斑
    expect(
      await files.read({
        layer: 'polygons',
        scope: '140525',
        stamp: (await stampOf()).polygons,
        ...far,
      }),
    ).toBe('empty');
    expect((await tile(s, `/api/tiles/polygons/14/${far.x}/${far.y}.mvt`)).length).toBe(0);
  });

  it('a new 图斑 moves the stamp: the next pass builds the layer again and drops the old stamp’s tiles', async () => {
    const before = (await stampOf()).polygons;
    await insertPolygons(db, Scope.system(), [
      {
        code: 'P-NEW',
        source: 'batch',
        period: '2026-11',
        jurisdictionCode: '140525100200',
        geometry: square(112.05, 35.05, 0.002),
      },
    ]);
    const r = await prebuildTiles(db, files);
    expect(r.built).toBeGreaterThan(0);
    const stamps = readdirSync(join(dir, 'polygons', '140525'));
    expect(stamps).toEqual([(await stampOf()).polygons]);
    expect(stamps).not.toContain(before);
    expect(existsSync(join(dir, 'polygons', '140525', stamps[0], '14'))).toBe(true);
  });

  const stampOf = async () => {
    const { tileStamps } = await import('../../store/tile-stamps.ts');
    return tileStamps(db, new Scope('140525'));
  };
});
