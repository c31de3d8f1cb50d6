import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crsFromEpsg, fromLonLat } from '../src/raster/crs.ts';
import { syntheticPair, tempDir, writeMultiband } from '../src/raster/test-fixtures.ts';
import { importImagery } from '../src/services/imagery.ts';
import { seedFixtureRegion } from '../src/server/testing.ts';
import { listImagery } from '../src/store/imagery.ts';
import { Scope } from '../src/store/scope.ts';
import { testBackends } from '../src/store/testing.ts';

describe.each(testBackends())('registering imagery on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  const dir = tempDir('gengbao-imagery-import-');
  const pair = syntheticPair(64, 2);
  // Inside the fixture village 南村 (112.0–112.1 E, 35.0–35.1 N), once in CGCS2000 degrees and
  // once in UTM 49N metres.
  const inVillage = {
    ...pair.grid,
    crs: crsFromEpsg(4490),
    originX: 112.02,
    originY: 35.06,
    pixelWidth: 0.0001,
    pixelHeight: 0.0001,
  };
  const [ux, uy] = fromLonLat(crsFromEpsg(32649))(112.05, 35.05);
  const utm = {
    ...pair.grid,
    crs: crsFromEpsg(32649),
    originX: ux,
    originY: uy,
    pixelWidth: 10,
    pixelHeight: 10,
  };
  const count = async () => (await listImagery(db, Scope.system())).length;

  beforeAll(async () => {
    db = await backend.open();
    await seedFixtureRegion(db);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('stores a scene under the smallest unit holding it, with its lon/lat box, absolute path and bands', async () => {
    const file = writeMultiband(join(dir, 'after.tif'), pair.after, inVillage);
    const img = await importImagery(db, Scope.system(), {
      location: file,
      date: '2026-11-17',
      role: 'after',
    });
    expect(img.jurisdictionCode).toBe('140525100200');
    expect(img.uri).toBe(file);
    expect(img.name).toBe('after.tif');
    expect(img.acquiredOn).toBe('2026-11-17');
    expect(img.bbox![0]).toBeCloseTo(112.02, 9);
    expect(img.bbox![3]).toBeCloseTo(35.06, 9);
    expect(img.bbox![2]).toBeCloseTo(112.0264, 9);
    expect(img.meta).toMatchObject({
      role: 'after',
      bands: ['1', '2', '3', '4'],
      size: [64, 64],
      crs: 'EPSG:4490',
    });
    const projected = await importImagery(db, Scope.system(), {
      location: writeMultiband(join(dir, 'utm.tif'), pair.before, utm),
      date: '2026-10-18',
      name: 'UTM scene',
    });
    expect(projected.jurisdictionCode).toBe('140525100200');
    // The grid's top-left corner is 112.05 E, 35.05 N; its west edge leans west of it in lon/lat
    // (UTM's grid convergence), which the box takes in.
    const [w, s, e, n] = projected.bbox!;
    expect(w).toBeLessThan(112.05);
    expect(w).toBeGreaterThan(112.049);
    expect(n).toBeGreaterThanOrEqual(35.05 - 1e-9);
    expect(n).toBeLessThan(35.051);
    expect(e).toBeCloseTo(w + 0.007, 2); // 640 m east
    expect(s).toBeCloseTo(n - 0.0058, 3); // 640 m south
  });

  it('refuses a corrupt file, a bad date, a scene no unit holds and a unit out of scope, storing nothing', async () => {
    const before = await count();
    const bad = join(dir, 'corrupt.tif');
    writeFileSync(bad, Buffer.from('II*\0not a tiff'));
    await expect(
      importImagery(db, Scope.system(), { location: bad, date: '2026-10-18' }),
    ).rejects.toThrow(/corrupt\.tif/);
    const ok = writeMultiband(join(dir, 'ok.tif'), pair.before, inVillage);
    await expect(
      importImagery(db, Scope.system(), { location: ok, date: '2026-02-30' }),
    ).rejects.toThrow(/real day as YYYY-MM-DD, got "2026-02-30"/);
    const far = writeMultiband(join(dir, 'far.tif'), pair.before, {
      ...inVillage,
      originX: 100,
      originY: 20,
    });
    await expect(
      importImagery(db, Scope.system(), { location: far, date: '2026-10-18' }),
    ).rejects.toThrow(/far\.tif: no jurisdiction in your scope holds the scene/);
    await expect(
      importImagery(db, Scope.system(), {
        location: ok,
        date: '2026-10-18',
        jurisdictionCode: '999999',
      }),
    ).rejects.toThrow(/no jurisdiction 999999/);
    await expect(
      importImagery(db, Scope.system(), { location: ok, date: '2026-10-18', addOffset: NaN }),
    ).rejects.toThrow(/the offset must be a number/);
    expect(await count()).toBe(before);
    const offset = await importImagery(db, Scope.system(), {
      location: ok,
      date: '2026-10-18',
      addOffset: -1000,
    });
    expect(offset.meta.addOffset).toBe(-1000);
  });
});
