import { describe, expect, it } from 'vitest';
import { crsFromEpsg } from './crs.ts';
import {
  afterWindowOf,
  alignGrids,
  pixelAreaM2,
  placeWindow,
  resampleToBefore,
  type PixelWindow,
} from './grid.ts';
import { utmGrid } from './test-fixtures.ts';

describe('alignGrids', () => {
  it('passes identical grids through without a note', () => {
    const a = alignGrids(utmGrid(50, 40), utmGrid(50, 40));
    expect(a).toMatchObject({
      window: { x0: 0, y0: 0, width: 50, height: 40 },
      identity: true,
      note: undefined,
    });
  });
  it('processes the overlap of grids offset by whole pixels, and says so', () => {
    const a = alignGrids(
      utmGrid(50, 40),
      utmGrid(50, 40, { originX: 500000 + 30, originY: 4000000 - 20 }),
    );
    expect(a.window).toEqual({ x0: 3, y0: 2, width: 47, height: 38 });
    expect(a.identity).toBe(true);
    expect(a.note).toMatch(/50×40 px, EPSG:32649, origin \(500030/);
    const aw = afterWindowOf(a, { x0: 3, y0: 2, width: 4, height: 4 });
    expect(aw).toEqual({ x0: 0, y0: 0, width: 4, height: 4 });
  });
  it('resamples another resolution by nearest neighbour onto the before grid', () => {
    const before = utmGrid(4, 4);
    const after = utmGrid(2, 2, { pixelWidth: 20, pixelHeight: 20 });
    const a = alignGrids(before, after);
    expect(a.window).toEqual({ x0: 0, y0: 0, width: 4, height: 4 });
    expect(a.note).toMatch(/nearest neighbour/);
    const src = afterWindowOf(a, a.window);
    const [out] = resampleToBefore(a, a.window, src, [Float32Array.of(1, 2, 3, 4)]);
    expect([...out]).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
  });
  it('refuses grids that do not overlap, in one CRS or two, naming both grids', () => {
    // Zone 50's easting 500 000 lies some 600 km east of zone 49's.
    expect(() => alignGrids(utmGrid(5, 5), utmGrid(5, 5, { crs: crsFromEpsg(32650) }))).toThrow(
      /do not overlap.*EPSG:32649.*EPSG:32650/,
    );
    expect(() => alignGrids(utmGrid(5, 5), utmGrid(5, 5, { originX: 600000 }))).toThrow(
      /do not overlap.*before: 5×5.*after: 5×5/,
    );
  });
  it('measures the pixel area on the ellipsoid', () => {
    expect(pixelAreaM2(utmGrid(10, 10))).toBeGreaterThan(99);
    expect(pixelAreaM2(utmGrid(10, 10))).toBeLessThan(101);
    const geo = {
      width: 10,
      height: 10,
      crs: crsFromEpsg(4326),
      originX: 2.3,
      originY: 48.8,
      pixelWidth: 0.0001,
      pixelHeight: 0.0001,
    };
    expect(pixelAreaM2(geo)).toBeCloseTo(7.33 * 11.12, 0);
  });
});

describe('placeWindow', () => {
  const cases: Array<{ region: PixelWindow; w: PixelWindow }> = [
    { region: { x0: 0, y0: 0, width: 16, height: 6 }, w: { x0: 4, y0: 1, width: 8, height: 3 } },
    { region: { x0: 2, y0: 3, width: 16, height: 6 }, w: { x0: 2, y0: 5, width: 16, height: 2 } },
    { region: { x0: 0, y0: 0, width: 13, height: 5 }, w: { x0: 3, y0: 2, width: 7, height: 3 } },
  ];
  it.each(cases)('puts a window in place, $w.width×$w.height at $w.x0,$w.y0', ({ region, w }) => {
    const src = Uint8Array.from({ length: w.width * w.height }, (_, i) => 1 + (i % 250));
    const expected = new Uint8Array(region.width * region.height);
    for (let r = 0; r < w.height; r++)
      for (let c = 0; c < w.width; c++)
        expected[(w.y0 - region.y0 + r) * region.width + w.x0 - region.x0 + c] =
          src[r * w.width + c];
    const dst = new Uint8Array(region.width * region.height);
    placeWindow(dst, region, src, w);
    expect(Array.from(dst)).toEqual(Array.from(expected));
  });
});
