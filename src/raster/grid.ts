import { GengbaoError } from '../errors.ts';
import { ellipsoidalAreaM2 } from '../geo/area.ts';
import { bboxOf } from '../geo/bbox.ts';
import type { BBox } from '../geo/types.ts';
import { crsLabel, sameCrs, toLonLat } from './crs.ts';
import type { GridAlignment, PixelWindow, RasterGrid } from './grid-types.ts';
import { warpAlignment, warpedWindow, warpToBefore } from './warp.ts';

export type { GridAlignment, PixelWindow, RasterGrid, WarpMesh } from './grid-types.ts';

/** One line naming a grid, for error messages that must name both grids. */
export function describeGrid(g: RasterGrid): string {
  return `${g.width}×${g.height} px, ${crsLabel(g.crs)}, origin (${g.originX}, ${g.originY}), pixel ${g.pixelWidth}×${g.pixelHeight}`;
}

/**
 * The lon/lat box of a grid, from its corners and edge midpoints: a projected grid's edges lean
 * and bow in lon/lat (UTM's grid convergence), so its corners alone would miss part of it.
 */
export function gridLonLatBox(g: RasterGrid): BBox {
  const f = toLonLat(g.crs);
  const [x0, y0] = [g.originX, g.originY];
  const [x1, y1] = [x0 + g.width * g.pixelWidth, y0 - g.height * g.pixelHeight];
  const [xm, ym] = [(x0 + x1) / 2, (y0 + y1) / 2];
  const ring = [
    f(x0, y0),
    f(xm, y0),
    f(x1, y0),
    f(x1, ym),
    f(x1, y1),
    f(xm, y1),
    f(x0, y1),
    f(x0, ym),
    f(x0, y0),
  ];
  return bboxOf({ type: 'Polygon', coordinates: [ring] });
}

/** Ellipsoidal area (m²) of the grid's centre pixel: the pixel area used for the minimum mapping unit. */
export function pixelAreaM2(g: RasterGrid): number {
  const f = toLonLat(g.crs);
  const c = Math.floor(g.width / 2);
  const r = Math.floor(g.height / 2);
  const x = g.originX + c * g.pixelWidth;
  const y = g.originY - r * g.pixelHeight;
  const ring = [
    f(x, y),
    f(x + g.pixelWidth, y),
    f(x + g.pixelWidth, y - g.pixelHeight),
    f(x, y - g.pixelHeight),
    f(x, y),
  ];
  return ellipsoidalAreaM2({ type: 'Polygon', coordinates: [ring] });
}

const close = (a: number, b: number, tol: number): boolean => Math.abs(a - b) <= tol;

/**
 * Line up the after grid with the before grid. Grids in the same CRS are put on the before
 * grid: whole-pixel offsets are read one-to-one, other sizes or shifts are resampled by
 * nearest neighbour (it invents no radiometry the change test would then read as change), and
 * the processed window is their overlap. Grids in different CRSs are reprojected onto the
 * before grid the same way (warp.ts). The returned note names both grids whenever they
 * differ. Grids that do not overlap are refused, naming both grids.
 */
export function alignGrids(
  before: RasterGrid,
  after: RasterGrid,
  names = { before: 'before', after: 'after' },
): GridAlignment {
  const both = `${names.before}: ${describeGrid(before)}; ${names.after}: ${describeGrid(after)}`;
  if (!sameCrs(before.crs, after.crs)) return warpAlignment(before, after, both);
  const scaleX = before.pixelWidth / after.pixelWidth;
  const scaleY = before.pixelHeight / after.pixelHeight;
  const offX = (before.originX - after.originX) / after.pixelWidth;
  const offY = (after.originY - before.originY) / after.pixelHeight;
  const identity =
    close(scaleX, 1, 1e-6) &&
    close(scaleY, 1, 1e-6) &&
    close(offX, Math.round(offX), 1e-3) &&
    close(offY, Math.round(offY), 1e-3);
  // Before columns whose centres fall inside the after grid.
  const first = (off: number, scale: number): number =>
    Math.max(0, Math.ceil((0 - off) / scale - 0.5 - 1e-9));
  const last = (off: number, scale: number, n: number, size: number): number =>
    Math.min(size - 1, Math.floor((n - off) / scale - 0.5 - 1e-9));
  const x0 = first(offX, scaleX);
  const y0 = first(offY, scaleY);
  const x1 = last(offX, scaleX, after.width, before.width);
  const y1 = last(offY, scaleY, after.height, before.height);
  if (x1 < x0 || y1 < y0)
    throw new GengbaoError('bad_input', `before and after do not overlap (${both})`, {
      field: 'after',
    });
  const window = { x0, y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
  const same =
    identity &&
    close(offX, 0, 1e-3) &&
    close(offY, 0, 1e-3) &&
    before.width === after.width &&
    before.height === after.height;
  let note: string | undefined;
  if (!same) {
    const how = identity
      ? 'read one-to-one at a whole-pixel offset'
      : 'resampled onto the before grid by nearest neighbour';
    note = `before and after grids differ (${both}); after ${how}; processing before-grid window x ${x0}..${x1}, y ${y0}..${y1}`;
  }
  return { window, scaleX, offX, scaleY, offY, identity, note };
}

/**
 * The after-grid window covering a before-grid window under an alignment (across CRSs, a
 * 1×1 window at the after grid's origin when none of it falls on the after grid: its pixels
 * then read as NaN).
 */
export function afterWindowOf(a: GridAlignment, w: PixelWindow): PixelWindow {
  if (a.warp)
    return (
      warpedWindow(a.warp.mesh, w, a.warp.width, a.warp.height) ?? {
        x0: 0,
        y0: 0,
        width: 1,
        height: 1,
      }
    );
  const cx0 = Math.floor(a.offX + (w.x0 + 0.5) * a.scaleX);
  const cx1 = Math.floor(a.offX + (w.x0 + w.width - 0.5) * a.scaleX);
  const cy0 = Math.floor(a.offY + (w.y0 + 0.5) * a.scaleY);
  const cy1 = Math.floor(a.offY + (w.y0 + w.height - 0.5) * a.scaleY);
  return { x0: cx0, y0: cy0, width: cx1 - cx0 + 1, height: cy1 - cy0 + 1 };
}

/**
 * Nearest-neighbour resample of after-window bands (read over `src`) onto before-window `w`,
 * into `into`'s arrays where they have the window's size.
 */
export function resampleToBefore(
  a: GridAlignment,
  w: PixelWindow,
  src: PixelWindow,
  bands: Float32Array[],
  into?: Float32Array[],
): Float32Array[] {
  if (a.identity) return bands;
  const outs = bands.map((_, b) =>
    into?.[b]?.length === w.width * w.height ? into[b] : new Float32Array(w.width * w.height),
  );
  if (a.warp) return warpToBefore(a.warp.mesh, w, src, bands, outs);
  const cols = new Int32Array(w.width);
  for (let c = 0; c < w.width; c++)
    cols[c] = Math.floor(a.offX + (w.x0 + c + 0.5) * a.scaleX) - src.x0;
  return bands.map((band, b) => {
    const out = outs[b];
    for (let r = 0; r < w.height; r++) {
      const sr = Math.floor(a.offY + (w.y0 + r + 0.5) * a.scaleY) - src.y0;
      const base = sr * src.width;
      for (let c = 0; c < w.width; c++) out[r * w.width + c] = band[base + cols[c]];
    }
    return out;
  });
}

/** Copy a window's values (`src`, w.width × w.height) into `dst`, a raster covering `region`, row by row. */
export function placeWindow(
  dst: Uint8Array,
  region: PixelWindow,
  src: Uint8Array,
  w: PixelWindow,
): void {
  if (w.x0 === region.x0 && w.width === region.width) {
    dst.set(src.subarray(0, w.width * w.height), (w.y0 - region.y0) * region.width);
    return;
  }
  for (let r = 0; r < w.height; r++)
    dst.set(
      src.subarray(r * w.width, (r + 1) * w.width),
      (w.y0 - region.y0 + r) * region.width + (w.x0 - region.x0),
    );
}
