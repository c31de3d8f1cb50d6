/**
 * Bands of one scene on grids of different resolution: Sentinel-2 products give B02, B03, B04
 * and B08 at 10 m but B11, B12 and the scene classification (SCL) only at 20 m, on the same
 * tile corner. A folder of such bands is read on its finest grid, each coarser band repeated
 * k × k (nearest neighbour: right for SCL's classes, and it invents no radiometry).
 */
import { sameCrs } from './crs.ts';
import type { PixelWindow, RasterGrid } from './grid.ts';

/**
 * How many of `fine`'s pixels a side one pixel of `band` spans: 1 when the grids are the same,
 * k when `band` has pixels k times larger (a whole number) from the same corner in the same
 * CRS and covers the fine grid; undefined otherwise.
 */
export function coarserFactor(fine: RasterGrid, band: RasterGrid): number | undefined {
  const tol = fine.pixelWidth * 1e-6;
  const k = Math.round(band.pixelWidth / fine.pixelWidth);
  const aligned =
    k >= 1 &&
    sameCrs(fine.crs, band.crs) &&
    Math.abs(band.pixelWidth - k * fine.pixelWidth) <= k * tol &&
    Math.abs(band.pixelHeight - k * fine.pixelHeight) <= k * tol &&
    Math.abs(band.originX - fine.originX) <= tol &&
    Math.abs(band.originY - fine.originY) <= tol;
  if (!aligned) return undefined;
  if (k === 1) return band.width === fine.width && band.height === fine.height ? 1 : undefined;
  return Math.ceil(fine.width / k) <= band.width && Math.ceil(fine.height / k) <= band.height
    ? k
    : undefined;
}

/** The window of a k-times coarser band holding every pixel of fine window `w`. */
export function coarseWindow(w: PixelWindow, k: number): PixelWindow {
  const x0 = Math.floor(w.x0 / k);
  const y0 = Math.floor(w.y0 / k);
  return {
    x0,
    y0,
    width: Math.ceil((w.x0 + w.width) / k) - x0,
    height: Math.ceil((w.y0 + w.height) / k) - y0,
  };
}

/** Fine window `w` of a band read over coarseWindow(w, k): each coarse pixel repeated k × k. */
export function repeatOnFine(
  coarse: ArrayLike<number>,
  cw: PixelWindow,
  k: number,
  w: PixelWindow,
): Float32Array {
  const out = new Float32Array(w.width * w.height);
  for (let r = 0; r < w.height; r++) {
    const row = (Math.floor((w.y0 + r) / k) - cw.y0) * cw.width - cw.x0;
    for (let c = 0; c < w.width; c++)
      out[r * w.width + c] = coarse[row + Math.floor((w.x0 + c) / k)];
  }
  return out;
}

/**
 * One axis of a band on another grid than the folder's finest: for each fine column (or row)
 * the band's pixels it takes and their weights, flattened (`start[i]` … `start[i + 1]` index
 * `src` and `weight`; an empty run is a fine pixel off the band).
 */
export interface AxisMap {
  start: Int32Array;
  src: Int32Array;
  weight: Float64Array;
}

/**
 * A band on a grid that is neither the finest nor a whole number of times coarser from the same
 * corner (OSCD's 20 m bands of 348 rows beside 10 m bands of 695: pixels 19.97 m, not 20), put
 * on the finest grid axis by axis:
 * - where the band's pixels are as large as the fine ones or larger, **nearest neighbour**
 *   (the band pixel under the fine pixel's centre). Chosen over bilinear because the quality
 *   bands (SCL's classes, QA_PIXEL's bits) must not be interpolated, because it invents no
 *   reflectance the change test would read as change, and because a grid 0.15 % off a whole
 *   ratio then reads as the exact 2 × repetition above would (each fine pixel at most half a
 *   fine pixel from where the band's own pixel edge lies);
 * - where the band's pixels are smaller (a finer axis, or a band a row or column short on a
 *   finer step), the **area-weighted average** of the band pixels the fine pixel covers:
 *   nearest would drop most of the band's pixels, aliasing.
 * Fine pixels off the band read NaN (nodata to the masks); a fine pixel only partly on it
 * averages the part that is.
 */
export interface BandResampling {
  cols: AxisMap;
  rows: AxisMap;
  /** 'nearest' on both axes, 'area-average' on both, or 'nearest/area-average' mixed. */
  method: string;
  /** Share of the fine grid's pixels the band covers (1: all). */
  covered: number;
}

function axisMap(n: number, offset: number, scale: number, count: number): AxisMap {
  const start = new Int32Array(n + 1);
  const src: number[] = [];
  const weight: number[] = [];
  const nearest = scale <= 1 + 1e-9;
  for (let i = 0; i < n; i++) {
    start[i] = src.length;
    if (nearest) {
      const j = Math.floor(offset + (i + 0.5) * scale);
      if (j >= 0 && j < count) {
        src.push(j);
        weight.push(1);
      }
    } else {
      const u0 = offset + i * scale;
      const u1 = u0 + scale;
      for (let j = Math.max(0, Math.floor(u0)); j < Math.min(count, Math.ceil(u1)); j++) {
        const wt = Math.min(u1, j + 1) - Math.max(u0, j);
        if (wt > 1e-9) {
          src.push(j);
          weight.push(wt);
        }
      }
    }
  }
  start[n] = src.length;
  return { start, src: Int32Array.from(src), weight: Float64Array.from(weight) };
}

/**
 * How `band` is put on `fine` (see BandResampling), or undefined when the two grids share no
 * ground (or not one CRS: a folder's bands in two CRSs is not a product layout Gengbao knows).
 */
export function bandResampling(fine: RasterGrid, band: RasterGrid): BandResampling | undefined {
  if (!sameCrs(fine.crs, band.crs)) return undefined;
  const sx = fine.pixelWidth / band.pixelWidth;
  const sy = fine.pixelHeight / band.pixelHeight;
  const cols = axisMap(fine.width, (fine.originX - band.originX) / band.pixelWidth, sx, band.width);
  const rows = axisMap(
    fine.height,
    (band.originY - fine.originY) / band.pixelHeight,
    sy,
    band.height,
  );
  const on = (m: AxisMap, n: number): number => {
    let k = 0;
    for (let i = 0; i < n; i++) if (m.start[i + 1] > m.start[i]) k++;
    return k;
  };
  const covered = (on(cols, fine.width) * on(rows, fine.height)) / (fine.width * fine.height);
  if (covered === 0) return undefined;
  const kind = (s: number): string => (s <= 1 + 1e-9 ? 'nearest' : 'area-average');
  const method = kind(sx) === kind(sy) ? kind(sx) : `${kind(sx)}/${kind(sy)}`;
  return { cols, rows, method, covered };
}

/** The band's pixels (its own grid) that fine window `w` takes; undefined when none. */
export function sourceWindow(rs: BandResampling, w: PixelWindow): PixelWindow | undefined {
  const span = (m: AxisMap, a: number, n: number): [number, number] | undefined => {
    const lo = m.start[a];
    const hi = m.start[a + n];
    if (hi <= lo) return undefined;
    let min = Infinity;
    let max = -Infinity;
    for (let k = lo; k < hi; k++) {
      min = Math.min(min, m.src[k]);
      max = Math.max(max, m.src[k]);
    }
    return [min, max];
  };
  const x = span(rs.cols, w.x0, w.width);
  const y = span(rs.rows, w.y0, w.height);
  if (!x || !y) return undefined;
  return { x0: x[0], y0: y[0], width: x[1] - x[0] + 1, height: y[1] - y[0] + 1 };
}

/**
 * Fine window `w` of a band read over `sw` (sourceWindow(rs, w); undefined: the window is off
 * the band, all NaN). A fine pixel taking any band pixel that is NaN or `nodata` is NaN, as
 * coarsen.ts makes a block holding nodata nodata rather than a darker mean.
 */
export function resampleOnFine(
  band: ArrayLike<number> | undefined,
  sw: PixelWindow | undefined,
  rs: BandResampling,
  w: PixelWindow,
  nodata: number | null,
): Float32Array {
  const out = new Float32Array(w.width * w.height).fill(NaN);
  if (!band || !sw) return out;
  const { cols, rows } = rs;
  for (let r = 0; r < w.height; r++) {
    const r0 = rows.start[w.y0 + r];
    const r1 = rows.start[w.y0 + r + 1];
    if (r1 <= r0) continue;
    for (let c = 0; c < w.width; c++) {
      const c0 = cols.start[w.x0 + c];
      const c1 = cols.start[w.x0 + c + 1];
      if (c1 <= c0) continue;
      let sum = 0;
      let wsum = 0;
      let bad = false;
      for (let a = r0; a < r1 && !bad; a++) {
        const row = (rows.src[a] - sw.y0) * sw.width - sw.x0;
        const wr = rows.weight[a];
        for (let b = c0; b < c1; b++) {
          const v = band[row + cols.src[b]];
          if (v !== v || v === nodata) {
            bad = true;
            break;
          }
          const wt = wr * cols.weight[b];
          sum += wt * v;
          wsum += wt;
        }
      }
      if (!bad) out[r * w.width + c] = c1 - c0 === 1 && r1 - r0 === 1 ? sum : sum / wsum;
    }
  }
  return out;
}
