import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { crsFromEpsg } from '../raster/crs.ts';
import type { RasterGrid } from '../raster/grid.ts';
import { memoryScene } from '../raster/memory-scene.ts';
import { openScene } from '../raster/scene-source.ts';
import {
  rgbPair,
  syntheticPair,
  tempDir,
  utmGrid,
  writeMultiband,
  type RgbPair,
} from '../raster/test-fixtures.ts';
import { detectChanges } from './detect.ts';
import { coarsenFactor, pixelSizeM, toWorkingResolution } from './working-resolution.ts';

describe('the working resolution', () => {
  it('averages imagery at least 1.5 times finer, by the whole factor nearest to it', () => {
    expect(coarsenFactor(0.05, 0.5)).toBe(10);
    expect(coarsenFactor(0.03, 0.5)).toBe(17);
    expect(coarsenFactor(0.3, 0.5)).toBe(2);
    expect(coarsenFactor(0.4, 0.5)).toBe(1);
    expect(coarsenFactor(2, 0.5)).toBe(1);
    expect(coarsenFactor(0.05, null)).toBe(1);
  });

  it('measures pixels in metres on the ground, in geographic grids too', () => {
    expect(pixelSizeM(utmGrid(10, 10, { pixelWidth: 0.05, pixelHeight: 0.05 }))).toBeCloseTo(
      0.05,
      4,
    );
    // 5e-7° in CGCS2000 at 35.5° N: about 4.5 cm east–west by 5.5 cm north–south.
    const geographic: RasterGrid = {
      width: 10,
      height: 10,
      crs: crsFromEpsg(4490),
      originX: 112.85,
      originY: 35.5,
      pixelWidth: 5e-7,
      pixelHeight: 5e-7,
    };
    expect(pixelSizeM(geographic)).toBeGreaterThan(0.045);
    expect(pixelSizeM(geographic)).toBeLessThan(0.055);
  });

  it('leaves the imagery as read without a working resolution, and says when it is coarser', () => {
    const s = (px: number) =>
      memoryScene('s', utmGrid(4, 4, { pixelWidth: px, pixelHeight: px }), {
        '1': new Uint8Array(16),
      });
    const native = toWorkingResolution(s(0.05), s(0.05), null, 'rgb');
    expect(native.factors).toEqual([1, 1]);
    expect(native.note).toBeUndefined();
    const coarse = toWorkingResolution(s(2), s(0.5), 0.5, 'rgb');
    expect(coarse.factors).toEqual([1, 1]);
    expect(coarse.note).toBe(
      'before 2 m pixels are coarser than the 0.5 m the rgb configuration was made for: expect small changes to be missed',
    );
  });
});

describe('a working resolution for Sentinel-2', () => {
  it('averages four bands onto 20 m, and refuses to average a scene classification', async () => {
    const pair = syntheticPair(64, 3);
    const bands = (d: Uint16Array[], scl?: Uint8Array) => ({
      B02: d[0],
      B03: d[1],
      B04: d[2],
      B08: d[3],
      ...(scl ? { SCL: scl } : {}),
    });
    const run = (scl?: Uint8Array) =>
      detectChanges(
        memoryScene('before', pair.grid, bands(pair.before, scl)),
        memoryScene('after', pair.grid, bands(pair.after, scl)),
        { sensor: 's2', config: { workingResolutionM: 20 } },
      );
    const r = await run();
    expect(r.grid.pixelWidth).toBe(20);
    expect(r.resolutionNote).toMatch(/averaged 2 × 2: the s2 configuration works at 20 m$/);
    await expect(run(new Uint8Array(64 * 64).fill(4))).rejects.toThrow(
      /the quality band \(SCL\) holds classes or bits that cannot be averaged/,
    );
  });
});

describe('a drone-resolution RGB pair', () => {
  const pair = syntheticPair(128, 3);
  const at05 = rgbPair(pair);
  const fine = rgbPair(pair, 8);
  const scene = (label: string, grid: RasterGrid, bands: ArrayLike<number>[]) =>
    memoryScene(label, grid, { '1': bands[0], '2': bands[1], '3': bands[2] });
  const dir = tempDir();
  const fineFiles = ['before', 'after'].map((d, i) =>
    writeMultiband(join(dir, `${d}.tif`), [fine.before, fine.after][i], fine.grid, {
      tileSize: 256,
    }),
  );

  it('is classified on 0.5 m pixels and gives the 0.5 m pair’s polygons, areas and all', async () => {
    const run = (p: RgbPair) =>
      detectChanges(scene('before', p.grid, p.before), scene('after', p.grid, p.after), {
        sensor: 'rgb',
      });
    const [coarse, averaged] = [await run(at05), await run(fine)];
    expect(coarse.features.length).toBeGreaterThan(0);
    expect(coarse.resolutionNote).toBeUndefined();
    expect(averaged.resolutionNote).toBe(
      'before 0.063 m pixels averaged 8 × 8, after 0.063 m pixels averaged 8 × 8: the rgb configuration works at 0.5 m',
    );
    expect(averaged.grid.pixelWidth).toBe(0.5);
    expect(averaged.window).toEqual(coarse.window);
    expect(Buffer.from(averaged.mask).equals(Buffer.from(coarse.mask))).toBe(true);
    expect(averaged.features.map((f) => f.geometry)).toEqual(
      coarse.features.map((f) => f.geometry),
    );
    expect(averaged.features.map((f) => f.properties.area_m2)).toEqual(
      coarse.features.map((f) => f.properties.area_m2),
    );
  });

  it('draws the evidence chips at the frame’s own resolution, outline and all', async () => {
    const chipsOf = async (p: RgbPair) => {
      const chips: PNG[] = [];
      await detectChanges(scene('before', p.grid, p.before), scene('after', p.grid, p.after), {
        sensor: 'rgb',
        chips: true,
        onPolygon: (_f, c) => void chips.push(PNG.sync.read(c!.after)),
      });
      return chips;
    };
    const [coarse, detailed] = [await chipsOf(at05), await chipsOf(fine)];
    expect(detailed.length).toBe(coarse.length);
    expect(coarse.length).toBeGreaterThan(0);
    const rgbAt = (png: PNG, x: number, y: number) =>
      Array.from(png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 3)).join();
    coarse.forEach((c, i) => {
      const d = detailed[i];
      expect([d.width, d.height]).toEqual([c.width * 8, c.height * 8]);
      // Away from the outline each 0.5 m pixel is its 8 × 8 block of the frame's pixels.
      expect(rgbAt(d, 3, 3)).toBe(rgbAt(c, 0, 0));
      expect(rgbAt(d, d.width - 4, d.height - 4)).toBe(rgbAt(c, c.width - 1, c.height - 1));
      // The outline is drawn one frame pixel wide: 8 (straight edges) to 15 (staircases) times as
      // many yellow pixels as a 0.5 m pixel wide.
      const count = (png: PNG) => {
        let n = 0;
        for (let k = 0; k < png.width * png.height; k++)
          if (rgbAt(png, k % png.width, Math.floor(k / png.width)) === '255,230,0') n++;
        return n;
      };
      expect(count(d)).toBeGreaterThan(7 * count(c));
      expect(count(d)).toBeLessThan(16 * count(c));
    });
  });

  it('averages each date by its own factor: a 6.25 cm before and a 12.5 cm after meet at 0.5 m', async () => {
    const after125 = rgbPair(pair, 4);
    const r = await detectChanges(
      scene('before', fine.grid, fine.before),
      scene('after', after125.grid, after125.after),
      { sensor: 'rgb' },
    );
    expect(r.resolutionNote).toBe(
      'before 0.063 m pixels averaged 8 × 8, after 0.13 m pixels averaged 4 × 4: the rgb configuration works at 0.5 m',
    );
    // The dates land on the same 0.5 m grid: nothing to resample, the same mask as at 0.5 m.
    expect(r.alignmentNote).toBeUndefined();
    const coarse = await detectChanges(
      scene('before', at05.grid, at05.before),
      scene('after', at05.grid, at05.after),
      { sensor: 'rgb' },
    );
    expect(Buffer.from(r.mask).equals(Buffer.from(coarse.mask))).toBe(true);
  });

  it('gives the same mask on worker threads, which average the files they reopen', async () => {
    const run = async (workers: number) =>
      detectChanges(await openScene(fineFiles[0]), await openScene(fineFiles[1]), {
        sensor: 'rgb',
        workers,
      });
    const [inline, threaded] = [await run(0), await run(2)];
    expect(threaded.grid.pixelWidth).toBe(0.5);
    expect(threaded.features.length).toBe(inline.features.length);
    expect(threaded.features.length).toBeGreaterThan(0);
    expect(Buffer.from(threaded.mask).equals(Buffer.from(inline.mask))).toBe(true);
  });
});
