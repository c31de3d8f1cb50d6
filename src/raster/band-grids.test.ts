import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  bandResampling,
  coarseWindow,
  coarserFactor,
  repeatOnFine,
  resampleOnFine,
  sourceWindow,
} from './band-grids.ts';
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

  it('refuses a band that shares no ground with the folder’s finest, naming both', async () => {
    const dir = tempDir();
    const g15 = coarse(1.5, { originX: fine.originX + 200 * fine.pixelWidth });
    writeBandFolder(dir, ['B02'], [new Uint16Array(128 * 128).fill(500)], fine);
    writeBandFolder(dir, ['B11'], [new Uint16Array(g15.width * g15.height).fill(500)], g15);
    await expect(openScene(dir)).rejects.toThrow(
      new RegExp(
        `${join(dir, 'B11.tif')}: its grid .* does not overlap the grid of the folder's finest band ${join(dir, 'B02.tif')}`,
      ),
    );
    const other = tempDir();
    writeBandFolder(other, ['B02'], [new Uint16Array(128 * 128).fill(500)], fine);
    writeBandFolder(other, ['B11'], [new Uint16Array(64 * 64).fill(500)], {
      ...coarse(2),
      crs: crsFromEpsg(32650),
    });
    await expect(openScene(other)).rejects.toThrow(/different CRSs; reproject/);
  });

  it('reads 20 m bands of 348 rows beside 10 m bands of 695 over the same ground (OSCD as distributed)', async () => {
    // OSCD's held-out cities: the 10 m bands 695 px a side, the 20 m ones 348 over the same
    // 6950 m, so pixels of 6950 / 348 = 19.971 m: not a whole multiple of 10 m.
    const g10 = utmGrid(695, 695);
    const g20 = utmGrid(348, 348, { pixelWidth: 6950 / 348, pixelHeight: 6950 / 348 });
    const r = rng(5);
    const px = (g: typeof g10): Uint16Array =>
      Uint16Array.from({ length: g.width * g.height }, () => 1 + Math.floor(r() * 3000));
    const b02 = px(g10);
    const b11 = px(g20);
    const b12 = px(g20);
    const dir = tempDir();
    writeBandFolder(dir, ['B02', 'B03', 'B04', 'B08'], [b02, px(g10), px(g10), px(g10)], g10);
    writeBandFolder(dir, ['B11', 'B12'], [b11, b12], g20);
    const scene = await openScene(dir);
    expect(scene.grid).toMatchObject({ width: 695, height: 695, pixelWidth: 10 });
    expect(scene.notes).toEqual([
      `${dir}: B11, B12 resampled from 348×348 px of 19.97×19.97 → B02.tif's 695×695 px of 10×10 by nearest (not a whole-number multiple of the finest band's grid from its corner)`,
    ]);
    // Each 10 m pixel takes the 20 m pixel under its centre, wherever the window lies.
    const step = 6950 / 348;
    for (const w of [
      { x0: 0, y0: 0, width: 695, height: 695 },
      { x0: 300, y0: 411, width: 37, height: 5 },
      { x0: 690, y0: 688, width: 5, height: 7 },
    ]) {
      const [g02, g11, g12] = await scene.readBands(['B02', 'B11', 'B12'], w);
      let wrong = 0;
      for (let y = 0; y < w.height; y++)
        for (let x = 0; x < w.width; x++) {
          const i = y * w.width + x;
          const j =
            Math.floor(((w.y0 + y + 0.5) * 10) / step) * 348 +
            Math.floor(((w.x0 + x + 0.5) * 10) / step);
          if (g02[i] !== b02[(w.y0 + y) * 695 + w.x0 + x]) wrong++;
          if (g11[i] !== b11[j] || g12[i] !== b12[j]) wrong++;
        }
      expect(wrong).toBe(0);
    }
    // The fine pixels of a 20 m pixel: 2 × 2 nearly everywhere, a 20 m pixel's corner stays on it.
    const [whole] = await scene.readBands(['B11'], { x0: 0, y0: 0, width: 695, height: 695 });
    expect(whole[0]).toBe(b11[0]);
    expect(whole[694 * 695 + 694]).toBe(b11[347 * 348 + 347]);
    expect(whole[100 * 695 + 100]).toBe(b11[50 * 348 + 50]);
    await scene.close();
  });

  it('reads a band one row longer on the same 10 m grid pixel for pixel, noting it', async () => {
    const dir = tempDir();
    const g = utmGrid(30, 29);
    const b02 = Uint16Array.from({ length: 30 * 29 }, (_, i) => i + 1);
    const b03 = Uint16Array.from({ length: 30 * 30 }, (_, i) => 5000 + i);
    writeBandFolder(dir, ['B02'], [b02], g);
    writeBandFolder(dir, ['B03'], [b03], utmGrid(30, 30));
    const scene = await openScene(dir);
    expect(scene.grid).toMatchObject({ width: 30, height: 29 });
    expect(scene.notes?.[0]).toMatch(/B03 resampled from 30×30 px of 10×10 → B02.tif's 30×29 px/);
    const [v] = await scene.readBands(['B03'], { x0: 0, y0: 0, width: 30, height: 29 });
    expect(Array.from(v)).toEqual(Array.from(b03.subarray(0, 30 * 29)));
    await scene.close();
  });

  it('averages the pixels of a finer band by area, nodata kept out of the mean, off the band NaN', () => {
    // The fine grid at 20 m; a band at 10 m, 19 rows (a row short of the fine grid's ground).
    const g = utmGrid(10, 10, { pixelWidth: 20, pixelHeight: 20 });
    const band = utmGrid(20, 19);
    const src = Float32Array.from({ length: 20 * 19 }, (_, i) => 100 + i);
    src[3 * 20 + 4] = 0; // nodata
    const rs = bandResampling(g, band)!;
    expect(rs.method).toBe('area-average');
    expect(rs.covered).toBe(1);
    const w = { x0: 0, y0: 0, width: 10, height: 10 };
    const sw = sourceWindow(rs, w)!;
    expect(sw).toEqual({ x0: 0, y0: 0, width: 20, height: 19 });
    const v = resampleOnFine(src, sw, rs, w, 0);
    const at = (x: number, y: number): number => src[y * 20 + x];
    expect(v[0]).toBe((at(0, 0) + at(1, 0) + at(0, 1) + at(1, 1)) / 4);
    expect(v[1 * 10 + 2]).toBeNaN(); // holds the nodata pixel (4, 3)
    expect(v[9 * 10 + 3]).toBe((at(6, 18) + at(7, 18)) / 2); // the last row: half on the band
    // 50 m wide from 150 m east: the fine grid's first 7 columns hold nothing of it, the 8th half.
    const east = bandResampling(g, { ...band, originX: band.originX + 150, width: 5 })!;
    expect(east.covered).toBeCloseTo(0.3);
    const part = src.subarray(0, 5 * 19);
    const e = resampleOnFine(part, sourceWindow(east, w), east, w, 0);
    expect(e[6]).toBeNaN();
    expect(e[7]).toBe((part[0] + part[5]) / 2);
    expect(e[9]).toBe((part[3] + part[4] + part[8] + part[9]) / 4);
    expect(bandResampling(g, { ...band, originX: band.originX + 200 })).toBeUndefined();
  });
});
