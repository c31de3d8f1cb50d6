import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coarseWindow, coarserFactor, repeatOnFine } from './band-grids.ts';
import { crsFromEpsg } from './crs.ts';
import { openScene } from './scene-source.ts';
import { rng, tempDir, utmGrid, writeBandFolder } from './test-fixtures.ts';

const fine = utmGrid(128, 128);
const coarse = (k: number, over: Partial<typeof fine> = {}) => ({
  ...fine,
  width: Math.ceil(128 / k),
  height: Math.ceil(128 / k),
  pixelWidth: fine.pixelWidth * k,
  pixelHeight: fine.pixelHeight * k,
  ...over,
});

describe('bands on coarser grids', () => {
  it('takes a grid of whole-number larger pixels from the same corner, and nothing else', () => {
    expect(coarserFactor(fine, fine)).toBe(1);
    expect(coarserFactor(fine, coarse(2))).toBe(2);
    expect(coarserFactor(fine, coarse(6))).toBe(6); // Sentinel-2's 60 m beside 10 m
    expect(coarserFactor(fine, coarse(1.5))).toBeUndefined();
    expect(coarserFactor(fine, coarse(2, { originX: fine.originX + 10 }))).toBeUndefined();
    expect(coarserFactor(fine, coarse(2, { width: 63 }))).toBeUndefined(); // does not cover
    expect(coarserFactor(fine, coarse(2, { crs: crsFromEpsg(32650) }))).toBeUndefined();
    expect(coarserFactor(fine, { ...fine, width: 127 })).toBeUndefined();
  });

  it('repeats each coarse pixel k × k over any fine window', () => {
    const k = 3;
    const src = Float32Array.from({ length: 43 * 43 }, (_, i) => i);
    for (const w of [
      { x0: 0, y0: 0, width: 128, height: 128 },
      { x0: 5, y0: 7, width: 11, height: 4 },
      { x0: 125, y0: 126, width: 3, height: 2 },
    ]) {
      const cw = coarseWindow(w, k);
      const part = new Float32Array(cw.width * cw.height);
      for (let r = 0; r < cw.height; r++)
        for (let c = 0; c < cw.width; c++)
          part[r * cw.width + c] = src[(cw.y0 + r) * 43 + cw.x0 + c];
      const got = repeatOnFine(part, cw, k, w);
      for (let r = 0; r < w.height; r++)
        for (let c = 0; c < w.width; c++)
          expect(got[r * w.width + c]).toBe(
            src[Math.floor((w.y0 + r) / k) * 43 + Math.floor((w.x0 + c) / k)],
          );
    }
  });

  it('opens a Sentinel-2 folder with 20 m bands beside 10 m ones on the 10 m grid', async () => {
    const r = rng(3);
    const px = (g: typeof fine) =>
      Uint16Array.from({ length: g.width * g.height }, () => r() * 3000);
    const dir = tempDir();
    writeBandFolder(
      dir,
      ['B02', 'B03', 'B04', 'B08'],
      [0, 1, 2, 3].map(() => px(fine)),
      fine,
    );
    const scl = px(coarse(2));
    writeBandFolder(dir, ['B11', 'SCL'], [px(coarse(2)), scl], coarse(2));
    const scene = await openScene(dir);
    expect(scene.grid).toMatchObject({ width: 128, height: 128, pixelWidth: fine.pixelWidth });
    const w = { x0: 9, y0: 4, width: 13, height: 6 };
    const [b02, got] = await scene.readBands(['B02', 'SCL'], w);
    expect(b02).toHaveLength(13 * 6);
    for (let y = 0; y < 6; y++)
      for (let x = 0; x < 13; x++)
        expect(got[y * 13 + x]).toBe(scl[Math.floor((4 + y) / 2) * 64 + Math.floor((9 + x) / 2)]);
    await scene.close();
  });

  it('refuses a band on a grid it cannot repeat onto the folder’s finest, naming both', async () => {
    const dir = tempDir();
    const g15 = coarse(1.5);
    writeBandFolder(dir, ['B02'], [new Uint16Array(128 * 128).fill(500)], fine);
    writeBandFolder(dir, ['B11'], [new Uint16Array(g15.width * g15.height).fill(500)], g15);
    await expect(openScene(dir)).rejects.toThrow(
      new RegExp(
        `${join(dir, 'B11.tif')}: its grid .* is neither the grid of the folder's finest band ${join(dir, 'B02.tif')}`,
      ),
    );
  });
});
