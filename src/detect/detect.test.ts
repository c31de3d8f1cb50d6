import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crsFromEpsg, fromLonLat, toLonLat } from '../raster/crs.ts';
import { pixelAreaM2 } from '../raster/grid.ts';
import { memoryScene } from '../raster/memory-scene.ts';
import { openScene } from '../raster/scene-source.ts';
import {
  syntheticPair,
  tempDir,
  utmGrid,
  writeBandFolder,
  writeMultiband,
} from '../raster/test-fixtures.ts';
import { detectChanges } from './detect.ts';
import { collectSample } from './fit.ts';
import { readPairWindow, scenePair, type PairWindow } from './pair-reader.ts';
import { PROFILES } from './profiles.ts';
import { plainRadiometry } from './radiometry.ts';
import { scoreMasks } from './metrics.ts';
import { maskBandsOf } from './masks.ts';

const pair = syntheticPair(128, 3);
const asScene = (label: string, bands: Uint16Array[], grid = pair.grid) =>
  memoryScene(label, grid, { '1': bands[0], '2': bands[1], '3': bands[2], '4': bands[3] });

describe('detectChanges on a synthetic pair', async () => {
  const r = await detectChanges(asScene('before', pair.before), asScene('after', pair.after), {
    sensor: 's2',
  });

  it('finds the planted buildings and nothing else', () => {
    const s = scoreMasks(r.mask, pair.truth);
    expect(s.recall).toBeGreaterThan(0.9);
    expect(s.precision).toBeGreaterThan(0.9);
    expect(r.features).toHaveLength(3);
    for (const f of r.features) expect(f.properties.class).toBe('built');
  });

  it('rejects the field ploughed bare between the dates as seasonal, by the rules too', async () => {
    // s2 decides with the learned classifier by default; the rules mark the field's pixels
    // seasonal and drop it as one object.
    expect(r.classifier).toBe('learned');
    const rules = await detectChanges(
      asScene('before', pair.before),
      asScene('after', pair.after),
      {
        sensor: 's2',
        config: { learned: null },
      },
    );
    expect(rules.classifier).toBe('rules');
    expect(rules.stats.seasonal).toBeGreaterThan(500);
    expect(scoreMasks(rules.mask, pair.truth).recall).toBeGreaterThan(0.9);
    // The seasonal field is the second row's first field (x 0..31, y 32..63): no change there.
    for (const m of [r.mask, rules.mask])
      for (let y = 32; y < 64; y++) for (let x = 0; x < 32; x++) expect(m[y * 128 + x]).toBe(0);
  });

  it('keeps the courtyard as a hole and gives exact ellipsoidal areas', () => {
    const withHole = r.features.find((f) => f.geometry.coordinates.length === 2);
    expect(withHole).toBeDefined();
    const px = pixelAreaM2(pair.grid);
    for (const f of r.features) {
      expect(f.properties.area_m2 / (f.properties.pixels * px)).toBeCloseTo(1, 2);
      expect(f.properties.area_mu).toBeCloseTo(f.properties.area_m2 / (10000 / 15), 2);
      const [lon, lat] = f.geometry.coordinates[0][0];
      expect(lon).toBeGreaterThan(110);
      expect(lat).toBeGreaterThan(36);
    }
  });

  it('merges polygons across window seams: tiny windows give the same polygons', async () => {
    const small = await detectChanges(
      asScene('before', pair.before),
      asScene('after', pair.after),
      { sensor: 's2', windowRows: 7 },
    );
    expect(small.features.map((f) => f.geometry)).toEqual(r.features.map((f) => f.geometry));
  });

  it('simplifies outlines on request, within half a pixel, and refuses larger tolerances', async () => {
    const s = await detectChanges(asScene('before', pair.before), asScene('after', pair.after), {
      sensor: 's2',
      simplifyPx: 0.45,
    });
    const vertices = (fs: typeof r.features): number =>
      fs.reduce((a, f) => a + f.geometry.coordinates.flat().length, 0);
    expect(vertices(s.features)).toBeLessThanOrEqual(vertices(r.features));
    s.features.forEach((f, i) =>
      expect(Math.abs(f.properties.area_m2 - r.features[i].properties.area_m2)).toBeLessThan(
        f.properties.pixels * 100 * 0.5,
      ),
    );
    await expect(
      detectChanges(asScene('before', pair.before), asScene('after', pair.after), {
        simplifyPx: 2,
      }),
    ).rejects.toThrow(/tolerance must be 0–0.49 px/);
  });

  it('drops components under the minimum mapping unit', async () => {
    const big = await detectChanges(asScene('before', pair.before), asScene('after', pair.after), {
      sensor: 's2',
      minAreaM2: 6000,
    });
    expect(big.features.length).toBe(1);
    expect(big.features[0].properties.area_m2).toBeGreaterThanOrEqual(6000);
  });
});

describe('the gf profile (four-band Gaofen-style DNs)', () => {
  it('finds the planted buildings by IR-MAD on 10-bit digital numbers', async () => {
    // The pair's reflectance ×10000 as 10-bit DNs with another gain on the after date, as two
    // acquisitions of an uncalibrated sensor differ.
    const dn = (bands: Uint16Array[], gain: number) =>
      memoryScene('gf', pair.grid, {
        '1': bands[0].map((v) => Math.min(1023, (v * gain) / 10)),
        '2': bands[1].map((v) => Math.min(1023, (v * gain) / 10)),
        '3': bands[2].map((v) => Math.min(1023, (v * gain) / 10)),
        '4': bands[3].map((v) => Math.min(1023, (v * gain) / 10)),
      });
    const g = await detectChanges(dn(pair.before, 1), dn(pair.after, 1.3), { sensor: 'gf' });
    expect(g.model.mad).toBeDefined();
    expect(g.model.config.minAreaM2).toBe(400);
    // No seasonal rule on DNs: the ploughed field may be marked too, so recall only.
    expect(scoreMasks(g.mask, pair.truth).recall).toBeGreaterThan(0.85);
  });
});

describe('detectChanges on GeoTIFF files', () => {
  const dir = tempDir();
  const b = writeMultiband(join(dir, 'before.tif'), pair.before, pair.grid, { tileSize: 64 });
  const a = writeMultiband(join(dir, 'after.tif'), pair.after, pair.grid, {
    tiled: false,
    tileSize: 20,
  });

  it('gives the same mask on two worker threads as on the main thread', async () => {
    const inline = await detectChanges(await openScene(b), await openScene(a), {
      workers: 0,
      windowRows: 32,
    });
    const threaded = await detectChanges(await openScene(b), await openScene(a), {
      workers: 2,
      windowRows: 32,
    });
    expect(threaded.features.length).toBe(3);
    expect(Buffer.from(threaded.mask).equals(Buffer.from(inline.mask))).toBe(true);
  });

  it('gives the same mask on worker threads that classify interleaved tiles', async () => {
    // Pixel-interleaved 4-band tiles with the predictor, as GDAL writes a Sentinel-2 stack:
    // the workers classify them straight from the blocks, into the shared rasters.
    const opts = { tileSize: 32, predictor: 2 as const, interleave: 'pixel' as const };
    const bi = writeMultiband(join(dir, 'before-pixel.tif'), pair.before, pair.grid, opts);
    const ai = writeMultiband(join(dir, 'after-pixel.tif'), pair.after, pair.grid, opts);
    const inline = await detectChanges(await openScene(bi), await openScene(ai), { workers: 0 });
    const threaded = await detectChanges(await openScene(bi), await openScene(ai), { workers: 2 });
    expect(threaded.features.length).toBe(3);
    expect(Buffer.from(threaded.mask).equals(Buffer.from(inline.mask))).toBe(true);
  });

  it('reads band folders whose NIR is on a grid of no whole-number ratio, and says so', async () => {
    // B08 as 65 px of 1280 / 65 = 19.7 m over the 10 m bands' 128 px (OSCD's 348 beside 695).
    const n = 65;
    const g08 = utmGrid(n, n, { pixelWidth: 1280 / n, pixelHeight: 1280 / n });
    const folder = (name: string, bands: Uint16Array[]): string => {
      const d = join(dir, name);
      writeBandFolder(d, ['B02', 'B03', 'B04'], bands.slice(0, 3), pair.grid);
      const nir = new Uint16Array(n * n);
      for (let y = 0; y < n; y++)
        for (let x = 0; x < n; x++)
          nir[y * n + x] =
            bands[3][Math.floor(((y + 0.5) * 128) / n) * 128 + Math.floor(((x + 0.5) * 128) / n)];
      writeBandFolder(d, ['B08'], [nir], g08);
      return d;
    };
    const r = await detectChanges(
      await openScene(folder('before-bands', pair.before)),
      await openScene(folder('after-bands', pair.after)),
      {},
    );
    expect(r.grid).toMatchObject({ width: 128, pixelWidth: 10 });
    expect(r.bandGridNote).toMatch(
      /before-bands: B08 resampled from 65×65 px of 19\.69×19\.69 → B02\.tif's 128×128 px of 10×10 by nearest.*; .*after-bands: B08 resampled/,
    );
    expect(scoreMasks(r.mask, pair.truth).recall).toBeGreaterThan(0.7);
  });

  it('processes the overlap of grids offset by whole pixels and says so', async () => {
    const shifted = utmGrid(128, 128, { originX: 500000 + 10 * 10 });
    const a2 = writeMultiband(join(dir, 'after-shifted.tif'), pair.after, shifted);
    const r = await detectChanges(await openScene(b), await openScene(a2), {});
    expect(r.window).toEqual({ x0: 10, y0: 0, width: 118, height: 128 });
    expect(r.alignmentNote).toMatch(/grids differ.*before-grid window x 10\.\.127/);
  });

  it('reprojects an after date in another CRS onto the before grid, on worker threads, and says so', async () => {
    // The after date in CGCS2000 Gauss–Krüger 3° zone 38 (CM 114°E, about 1.8° of grid
    // rotation against UTM 49N here), resampled by nearest neighbour from the before grid's.
    const gk = crsFromEpsg(4526);
    const toGk = fromLonLat(gk);
    const fromGk = toLonLat(gk);
    const toUtm = fromLonLat(pair.grid.crs);
    const [ox, oy] = toGk(...toLonLat(pair.grid.crs)(pair.grid.originX, pair.grid.originY));
    const n = 140;
    const grid = {
      ...utmGrid(n, n),
      crs: gk,
      originX: Math.round(ox) - 50,
      originY: Math.round(oy) + 50,
    };
    const bands = pair.after.map(() => new Uint16Array(n * n));
    for (let r = 0; r < n; r++)
      for (let c = 0; c < n; c++) {
        const [x, y] = toUtm(
          ...fromGk(grid.originX + (c + 0.5) * 10, grid.originY - (r + 0.5) * 10),
        );
        const bc = Math.floor((x - pair.grid.originX) / 10);
        const br = Math.floor((pair.grid.originY - y) / 10);
        if (bc < 0 || br < 0 || bc >= 128 || br >= 128) continue; // nodata (0) outside
        for (let k = 0; k < 4; k++) bands[k][r * n + c] = pair.after[k][br * 128 + bc];
      }
    const a2 = writeMultiband(join(dir, 'after-gk.tif'), bands, grid, { nodata: 0 });
    const r = await detectChanges(await openScene(b), await openScene(a2), { workers: 2 });
    expect(r.alignmentNote).toMatch(
      /different CRSs.*reprojected from EPSG:4526 onto the before grid \(EPSG:32649\)/,
    );
    expect(r.features).toHaveLength(3);
    // Two nearest-neighbour resamplings move edges by up to a pixel each.
    const truth = new Uint8Array(r.window.width * r.window.height);
    for (let y = 0; y < r.window.height; y++)
      for (let x = 0; x < r.window.width; x++)
        truth[y * r.window.width + x] = pair.truth[(r.window.y0 + y) * 128 + r.window.x0 + x];
    expect(scoreMasks(r.mask, truth).f1).toBeGreaterThan(0.85);
    // Windows read into the previous window's arrays (the after footprint changes size from
    // window to window) hold what fresh arrays would.
    const sp = scenePair(
      await openScene(b),
      await openScene(a2),
      ['1', '2', '3', '4'],
      ['1', '2', '3', '4'],
    );
    let prev: PairWindow | undefined;
    for (const w of [
      { x0: 0, y0: 0, width: 64, height: 64 },
      { x0: 64, y0: 0, width: 64, height: 64 },
      { x0: 0, y0: 64, width: 64, height: 40 },
      { x0: 64, y0: 64, width: 64, height: 64 },
    ]) {
      const fresh = await readPairWindow(sp, w);
      prev = await readPairWindow(sp, w, prev);
      expect(prev.after.map((x) => Array.from(x))).toEqual(fresh.after.map((x) => Array.from(x)));
      expect(prev.after[0].some((v) => v > 0)).toBe(true);
    }
  });

  it('refuses all-nodata scenes and missing bands clearly', async () => {
    const zeros = [0, 1, 2, 3].map(() => new Uint16Array(128 * 128));
    const z = writeMultiband(join(dir, 'zeros.tif'), zeros, pair.grid, { nodata: 0 });
    await expect(
      detectChanges(await openScene(b), await openScene(z), { workers: 2 }),
    ).rejects.toThrow(/no pixel is valid on both dates/);
    const three = writeMultiband(join(dir, 'three.tif'), pair.after.slice(0, 3), pair.grid);
    await expect(detectChanges(await openScene(b), await openScene(three), {})).rejects.toThrow(
      /three\.tif: no band for nir .*, or --sensor rgb for aerial or drone RGB/,
    );
  });
});

describe('the calibration sample', () => {
  it('takes the same share of every window, spread over its rows', async () => {
    // Band 1 holds 1000 + the row, so each sampled value tells where it came from.
    const [W, H, rows] = [128, 128, 32];
    const bands = [0, 1, 2, 3].map((b) =>
      Uint16Array.from({ length: W * H }, (_, i) => (b === 0 ? 1000 + Math.floor(i / W) : 1000)),
    );
    const grid = utmGrid(W, H);
    const [before, after] = [asScene('before', bands, grid), asScene('after', bands, grid)];
    const pairOf = scenePair(before, after, ['1', '2', '3', '4'], ['1', '2', '3', '4']);
    const windows = [0, 1, 2, 3].map((k) => ({ x0: 0, y0: k * rows, width: W, height: rows }));
    const masks = maskBandsOf(['blue', 'green', 'red', 'nir']);
    // 3000 of each window's 4096 pixels: a whole-number stride (1) took whole windows until
    // the cap, and the last window came short.
    const sample = await collectSample(
      pairOf,
      windows,
      4,
      masks,
      plainRadiometry(PROFILES.s2.config),
      { before: null, after: null },
      12000,
      () => {},
    );
    const perWindow = [0, 0, 0, 0];
    const lowest = [H, H, H, H];
    const highest = [0, 0, 0, 0];
    for (const v of sample.before[0]) {
      const y = v - 1000;
      const k = Math.floor(y / rows);
      perWindow[k]++;
      lowest[k] = Math.min(lowest[k], y);
      highest[k] = Math.max(highest[k], y);
    }
    expect(perWindow).toEqual([3000, 3000, 3000, 3000]);
    for (let k = 0; k < 4; k++) {
      expect(lowest[k]).toBe(k * rows);
      expect(highest[k]).toBe(k * rows + rows - 1);
    }
  });
});
