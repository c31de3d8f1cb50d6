import { describe, expect, it } from 'vitest';
import { crsFromEpsg, fromLonLat, toLonLat } from './crs.ts';
import { afterWindowOf, alignGrids, resampleToBefore, type RasterGrid } from './grid.ts';
import { utmGrid } from './test-fixtures.ts';
import { warpMesh, warpRow } from './warp.ts';

// A 10980² Sentinel-2 tile in UTM 49N (CM 111°E), and a CGCS2000 Gauss–Krüger 3° grid (CM 114°E, zone
// 38 with its prefix, as Jincheng uses) of 2 m pixels over part of it: a domestic satellite's after date.
const before = utmGrid(10980, 10980, { originX: 499980, originY: 3400020 });
const gk = crsFromEpsg(4526);
const [gx, gy] = fromLonLat(gk)(...toLonLat(before.crs)(550_000, 3_350_000));
const after: RasterGrid = {
  width: 6000,
  height: 5000,
  crs: gk,
  originX: Math.round(gx),
  originY: Math.round(gy),
  pixelWidth: 2,
  pixelHeight: 2,
};

describe('warp', () => {
  // The after grid in Gauss–Krüger metres, in CGCS2000 degrees (about 2 m pixels), and in Web
  // Mercator: each within a hundredth of a pixel of the exact transform.
  const [lon, lat] = toLonLat(before.crs)(550_000, 3_350_000);
  const [mx, my] = fromLonLat(crsFromEpsg(3857))(lon, lat);
  const afters: RasterGrid[] = [
    after,
    {
      ...after,
      crs: crsFromEpsg(4490),
      originX: lon,
      originY: lat,
      pixelWidth: 2e-5,
      pixelHeight: 2e-5,
    },
    {
      ...after,
      crs: crsFromEpsg(3857),
      originX: mx,
      originY: my,
      pixelWidth: 2.4,
      pixelHeight: 2.4,
    },
  ];
  it.each(afters)(
    'interpolates the mapping to a hundredth of a pixel of the exact transform ($crs.name)',
    (g) => {
      const mesh = warpMesh(before, g, { x0: 0, y0: 0, width: 10980, height: 10980 });
      const exact = (u: number, v: number): [number, number] => {
        const [x, y] = fromLonLat(g.crs)(
          ...toLonLat(before.crs)(
            before.originX + u * before.pixelWidth,
            before.originY - v * before.pixelHeight,
          ),
        );
        return [(x - g.originX) / g.pixelWidth, (g.originY - y) / g.pixelHeight];
      };
      const xs = new Float64Array(1);
      const ys = new Float64Array(1);
      let worst = 0;
      for (const [c, r] of [
        [0, 0],
        [5000, 5000],
        [5031, 5077],
        [10979, 10979],
        [123, 9876],
      ]) {
        warpRow(mesh, r, c, 1, xs, ys);
        const [ex, ey] = exact(c + 0.5, r + 0.5);
        worst = Math.max(worst, Math.abs(xs[0] - ex), Math.abs(ys[0] - ey));
      }
      expect(worst).toBeLessThan(0.01);
      // Every after grid lands on the same before window, within a mesh cell.
      const a = alignGrids(before, g);
      expect(Math.abs(a.window.x0 - alignGrids(before, after).window.x0)).toBeLessThanOrEqual(64);
    },
  );

  it('aligns across CRSs: the window is where the after grid lies, pixels outside it read NaN', () => {
    const a = alignGrids(before, after);
    expect(a.note).toMatch(
      /different CRSs.*reprojected from EPSG:4526 onto the before grid \(EPSG:32649\)/,
    );
    // The after grid covers 12 × 10 km from (550 000, 3 350 000): before pixels 5002.., 5002..
    expect(a.window.x0).toBeGreaterThanOrEqual(4900);
    expect(a.window.x0).toBeLessThanOrEqual(5002);
    expect(a.window.width).toBeGreaterThanOrEqual(1200);
    expect(a.window.width).toBeLessThan(1400);
    // A 20 × 20 before window over the after grid's top-left corner: after pixel values are
    // their column + 10000·row, so each before pixel's value says where it was read.
    const w = { x0: 4995, y0: 4995, width: 20, height: 20 };
    const src = afterWindowOf(a, w);
    const band = new Float32Array(src.width * src.height);
    for (let r = 0; r < src.height; r++)
      for (let c = 0; c < src.width; c++)
        band[r * src.width + c] = src.x0 + c + 10000 * (src.y0 + r);
    const [out] = resampleToBefore(a, w, src, [band]);
    const at = (c: number, r: number): number => out[(r - w.y0) * w.width + (c - w.x0)];
    // West and north of the after grid: NaN.
    expect(at(4995, 5010)).toBeNaN();
    expect(at(5010, 4995)).toBeNaN();
    // Inside: the after pixel under the before pixel's centre.
    for (const [c, r] of [
      [5006, 5006],
      [5014, 5011],
    ]) {
      const [x, y] = fromLonLat(gk)(
        ...toLonLat(before.crs)(
          before.originX + (c + 0.5) * before.pixelWidth,
          before.originY - (r + 0.5) * before.pixelHeight,
        ),
      );
      const col = Math.floor((x - after.originX) / after.pixelWidth);
      const row = Math.floor((after.originY - y) / after.pixelHeight);
      expect(at(c, r)).toBe(col + 10000 * row);
    }
  });

  it('bounds a small after grid by its footprint, with a mesh over that window only', () => {
    // A 40 × 30 m drone frame (4 × 3 after pixels of 10 m) over the 10980² tile.
    const frame = { ...after, width: 4, height: 3, pixelWidth: 10, pixelHeight: 10 };
    const a = alignGrids(before, frame);
    expect(a.window.width).toBeGreaterThanOrEqual(4);
    expect(a.window.width).toBeLessThanOrEqual(6);
    expect(a.window.height).toBeGreaterThanOrEqual(3);
    expect(a.window.height).toBeLessThanOrEqual(5);
    expect(a.warp?.mesh.ax.length).toBe(4);
    // Every after pixel is read by some before pixel of the window.
    const src = afterWindowOf(a, a.window);
    const band = Float32Array.from({ length: src.width * src.height }, (_, i) => i + 1);
    const [out] = resampleToBefore(a, a.window, src, [band]);
    expect(new Set(Array.from(out).filter((v) => v === v)).size).toBeGreaterThanOrEqual(10);
  });

  it('refuses to reproject between Xi’an 1980 and CGCS2000, which no national formula relates', () => {
    const xian = { ...after, crs: crsFromEpsg(2362) }; // Xi'an 1980 3° zone 38
    expect(() => alignGrids(before, xian)).toThrow(/different datums.*Xi'an 1980 and WGS84/);
    // The same datum in another zone (3° CM 111°E, no prefix) is fine.
    expect(alignGrids({ ...before, crs: crsFromEpsg(2382) }, xian).warp).toBeDefined();
  });
});
