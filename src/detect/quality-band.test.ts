import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bandNameOf, openScene } from '../raster/scene-source.ts';
import { syntheticPair, tempDir, writeBandFolder } from '../raster/test-fixtures.ts';
import { detectChanges } from './detect.ts';

describe('a Landsat Collection 2 pair with its QA_PIXEL bands', async () => {
  // The synthetic pair as Landsat 8/9 OLI band files, with a white cloud over fields of the
  // after date that its QA_PIXEL flags (bit 3, cloud; 0x5540 elsewhere: clear).
  const pair = syntheticPair(128, 4);
  const W = 128;
  const cloud = (i: number): boolean => {
    const [x, y] = [i % W, Math.floor(i / W)];
    return x >= 96 && y < 24;
  };
  const after = pair.after.map((b) => b.map((v, i) => (cloud(i) ? 6000 : v)));
  const qa = (flagCloud: boolean): Uint16Array =>
    Uint16Array.from({ length: W * W }, (_, i) => (flagCloud && cloud(i) ? 0x5708 : 0x5540));
  const dir = tempDir();
  const names = ['B2', 'B3', 'B4', 'B5', 'QA_PIXEL'];
  const stem = 'LC09_L2SP_123032_20230415_20230420_02_T1_SR_';
  const b = writeBandFolder(join(dir, 'before'), names, [...pair.before, qa(false)], pair.grid);
  const a = writeBandFolder(join(dir, 'after'), names, [...after, qa(true)], pair.grid);
  const noQa = writeBandFolder(join(dir, 'after-no-qa'), names.slice(0, 4), after, pair.grid);
  const run = async (afterDir: string) =>
    detectChanges(await openScene(b), await openScene(afterDir), { sensor: 'landsat-oli' });

  it('names the band from a Collection 2 file name', () => {
    expect(bandNameOf(`${stem}B4.TIF`)).toBe('B4');
    expect(bandNameOf('LC09_L2SP_123032_20230415_20230420_02_T1_QA_PIXEL.TIF')).toBe('QA_PIXEL');
  });

  it('masks the flagged cloud, which is otherwise found as change', async () => {
    const masked = await run(a);
    const unmasked = await run(noQa);
    let inCloud = 0;
    let inCloudUnmasked = 0;
    for (let i = 0; i < W * W; i++)
      if (cloud(i)) {
        inCloud += masked.mask[i] ? 1 : 0;
        inCloudUnmasked += unmasked.mask[i] ? 1 : 0;
      }
    expect(inCloud).toBe(0);
    expect(inCloudUnmasked).toBeGreaterThan(300);
    expect(masked.stats.invalid).toBe(32 * 24);
    // The planted buildings outside the cloud are still found.
    let found = 0;
    for (let i = 0; i < W * W; i++) if (pair.truth[i] && masked.mask[i]) found++;
    expect(found / pair.truth.reduce((s, v) => s + v, 0)).toBeGreaterThan(0.8);
  });
});

describe('a Sentinel-2 L2A folder with its scene classification at 20 m', () => {
  it('masks the classes SCL marks, each 20 m pixel over its four 10 m ones', async () => {
    const pair = syntheticPair(128, 4);
    const g20 = { ...pair.grid, width: 64, height: 64, pixelWidth: 20, pixelHeight: 20 };
    // SCL 4 (vegetation) everywhere, 9 (cloud, high probability) over a 10 × 6 block of 20 m
    // pixels on the after date.
    const scl = (cloud: boolean) =>
      Uint16Array.from({ length: 64 * 64 }, (_, i) =>
        cloud && i % 64 >= 50 && i % 64 < 60 && Math.floor(i / 64) < 6 ? 9 : 4,
      );
    const dir = tempDir();
    const bands = ['B02', 'B03', 'B04', 'B08'];
    const folder = (name: string, data: Uint16Array[], cloud: boolean) => {
      writeBandFolder(join(dir, name), bands, data, pair.grid);
      return writeBandFolder(join(dir, name), ['SCL'], [scl(cloud)], g20);
    };
    const [b, a] = [folder('before', pair.before, false), folder('after', pair.after, true)];
    const r = await detectChanges(await openScene(b), await openScene(a), { sensor: 's2' });
    expect(r.grid.pixelWidth).toBe(pair.grid.pixelWidth);
    expect(r.stats.invalid).toBe(10 * 6 * 4);
    // Worker threads reopen the folders and read the 20 m band the same way.
    const threads = await detectChanges(await openScene(b), await openScene(a), {
      sensor: 's2',
      workers: 2,
    });
    expect(threads.stats.invalid).toBe(r.stats.invalid);
    expect(threads.mask).toEqual(r.mask);
  });
});
