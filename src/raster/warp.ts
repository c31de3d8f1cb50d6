import { GengbaoError } from '../errors.ts';
import { crsLabel, fromLonLat, toLonLat } from './crs.ts';
import type { GridAlignment, PixelWindow, RasterGrid, WarpMesh } from './grid-types.ts';

export type { WarpMesh } from './grid-types.ts';

const STEP = 64;
/** Points per edge of the after grid taken into the before grid to bound its footprint. */
const EDGE_POINTS = 32;

/**
 * The alignment of an after grid in another CRS: the before-grid window its footprint covers
 * (its outline taken into the before grid, edge points and all, so a bent edge is bounded
 * too), and the mesh over that window. Pixels of the window whose centres fall outside the
 * after grid read as NaN, which the masks treat as nodata. Refused, naming both grids, when
 * the two do not overlap or their datums cannot be related.
 */
export function warpAlignment(before: RasterGrid, after: RasterGrid, both: string): GridAlignment {
  // Xi'an 1980 differs from CGCS2000 / WGS 84 by provincial seven-parameter transforms, not
  // one national formula (src/geo/crs.ts): taken as equal, the dates would be misregistered by
  // metres to tens of metres, and every field edge would read as change.
  const datums = [before.crs.datum, after.crs.datum];
  if (datums[0] !== datums[1] && datums.includes('Xian1980'))
    throw new GengbaoError(
      'unsupported',
      `before and after are on different datums (${both}): Xi'an 1980 and ${datums.find((d) => d !== 'Xian1980')} have no national transformation; reproject one date with your province's parameters first`,
      { field: 'after' },
    );
  const f = footprint(before, after);
  const x0 = Math.max(0, Math.floor(f.minX));
  const y0 = Math.max(0, Math.floor(f.minY));
  const x1 = Math.min(before.width - 1, Math.ceil(f.maxX) - 1);
  const y1 = Math.min(before.height - 1, Math.ceil(f.maxY) - 1);
  if (!(x1 >= x0 && y1 >= y0))
    throw new GengbaoError('bad_input', `before and after do not overlap (${both})`, {
      field: 'after',
    });
  const window = { x0, y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
  const note = `before and after are in different CRSs (${both}); after reprojected from ${crsLabel(after.crs)} onto the before grid (${crsLabel(before.crs)}) by nearest neighbour; processing before-grid window x ${x0}..${x1}, y ${y0}..${y1}`;
  return {
    window,
    // The affine fields do not apply: `warp` maps the pixels.
    scaleX: NaN,
    offX: NaN,
    scaleY: NaN,
    offY: NaN,
    identity: false,
    note,
    warp: { mesh: warpMesh(before, after, window), width: after.width, height: after.height },
  };
}

/**
 * Pixel coordinates of grid `from` (fractional, pixel (c, r) spans c..c+1) to those of grid
 * `to` through lon/lat; [NaN, NaN] where a transform fails (outside a projection's domain).
 */
function pixelMapping(
  from: RasterGrid,
  to: RasterGrid,
): (c: number, r: number) => [number, number] {
  const lonLat = toLonLat(from.crs);
  const into = fromLonLat(to.crs);
  return (c, r) => {
    try {
      const [x, y] = into(
        ...lonLat(from.originX + c * from.pixelWidth, from.originY - r * from.pixelHeight),
      );
      return [(x - to.originX) / to.pixelWidth, (to.originY - y) / to.pixelHeight];
    } catch {
      return [NaN, NaN];
    }
  };
}

/** The bounding box, in before-grid pixel coordinates, of the after grid's outline. */
function footprint(
  before: RasterGrid,
  after: RasterGrid,
): { minX: number; minY: number; maxX: number; maxY: number } {
  const toBefore = pixelMapping(after, before);
  const box = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  for (let k = 0; k <= EDGE_POINTS; k++) {
    const t = k / EDGE_POINTS;
    for (const [c, r] of [
      [t * after.width, 0],
      [t * after.width, after.height],
      [0, t * after.height],
      [after.width, t * after.height],
    ]) {
      const [u, v] = toBefore(c, r);
      if (!(u === u && v === v)) continue;
      box.minX = Math.min(box.minX, u);
      box.maxX = Math.max(box.maxX, u);
      box.minY = Math.min(box.minY, v);
      box.maxY = Math.max(box.maxY, v);
    }
  }
  return box;
}

/** The mesh mapping `before`'s pixel coordinates over `window` into `after`'s. */
export function warpMesh(
  before: RasterGrid,
  after: RasterGrid,
  window: PixelWindow,
  step = STEP,
): WarpMesh {
  const cols = Math.ceil(window.width / step) + 1;
  const rows = Math.ceil(window.height / step) + 1;
  const toAfter = pixelMapping(before, after);
  const ax = new Float64Array(cols * rows);
  const ay = new Float64Array(cols * rows);
  for (let j = 0; j < rows; j++)
    for (let i = 0; i < cols; i++)
      [ax[j * cols + i], ay[j * cols + i]] = toAfter(window.x0 + i * step, window.y0 + j * step);
  return { step, x0: window.x0, y0: window.y0, cols, rows, ax, ay };
}

/**
 * The after-grid pixel coordinates of the centres of before-grid row `v` from column `u0`,
 * `n` pixels, into `outX` / `outY`.
 */
export function warpRow(
  m: WarpMesh,
  v: number,
  u0: number,
  n: number,
  outX: Float64Array,
  outY: Float64Array,
): void {
  const { step, cols, ax, ay } = m;
  const fv = (v + 0.5 - m.y0) / step;
  const j = Math.max(0, Math.min(Math.floor(fv), m.rows - 2));
  const ty = fv - j;
  const top = j * cols;
  const bottom = m.rows > 1 ? top + cols : top;
  for (let k = 0; k < n; k++) {
    const fu = (u0 + k + 0.5 - m.x0) / step;
    const i = Math.max(0, Math.min(Math.floor(fu), cols - 2));
    const tx = fu - i;
    const x0 = ax[top + i] + (ax[bottom + i] - ax[top + i]) * ty;
    const x1 = ax[top + i + 1] + (ax[bottom + i + 1] - ax[top + i + 1]) * ty;
    const y0 = ay[top + i] + (ay[bottom + i] - ay[top + i]) * ty;
    const y1 = ay[top + i + 1] + (ay[bottom + i + 1] - ay[top + i + 1]) * ty;
    outX[k] = x0 + (x1 - x0) * tx;
    outY[k] = y0 + (y1 - y0) * tx;
  }
}

/**
 * The after-grid pixels that before window `w`'s pixel centres fall on: the bounding box of
 * the mesh nodes around `w` (the mapping is near-affine within it), one pixel wider on each
 * side, clipped to the after grid; undefined when none falls inside it.
 */
export function warpedWindow(
  m: WarpMesh,
  w: PixelWindow,
  afterWidth: number,
  afterHeight: number,
): PixelWindow | undefined {
  const i0 = Math.max(0, Math.floor((w.x0 - m.x0) / m.step));
  const i1 = Math.min(m.cols - 1, Math.ceil((w.x0 + w.width - m.x0) / m.step));
  const j0 = Math.max(0, Math.floor((w.y0 - m.y0) / m.step));
  const j1 = Math.min(m.rows - 1, Math.ceil((w.y0 + w.height - m.y0) / m.step));
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let j = j0; j <= j1; j++)
    for (let i = i0; i <= i1; i++) {
      const x = m.ax[j * m.cols + i];
      const y = m.ay[j * m.cols + i];
      if (!(x === x && y === y)) continue;
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
  const x0 = Math.max(0, Math.floor(minX) - 1);
  const y0 = Math.max(0, Math.floor(minY) - 1);
  const x1 = Math.min(afterWidth - 1, Math.floor(maxX) + 1);
  const y1 = Math.min(afterHeight - 1, Math.floor(maxY) + 1);
  if (!(x1 >= x0 && y1 >= y0)) return undefined;
  return { x0, y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/**
 * Nearest-neighbour resample of after bands read over `src` onto before window `w` through the
 * mesh, into `outs` (one window-sized array per band): each before pixel takes the after
 * pixel its centre falls in, NaN outside `src`.
 */
export function warpToBefore(
  m: WarpMesh,
  w: PixelWindow,
  src: PixelWindow,
  bands: Float32Array[],
  outs: Float32Array[],
): Float32Array[] {
  const xs = new Float64Array(w.width);
  const ys = new Float64Array(w.width);
  for (let r = 0; r < w.height; r++) {
    warpRow(m, w.y0 + r, w.x0, w.width, xs, ys);
    for (let c = 0; c < w.width; c++) {
      const sx = Math.floor(xs[c]) - src.x0;
      const sy = Math.floor(ys[c]) - src.y0;
      const inside = sx >= 0 && sy >= 0 && sx < src.width && sy < src.height;
      for (let b = 0; b < bands.length; b++)
        outs[b][r * w.width + c] = inside ? bands[b][sy * src.width + sx] : NaN;
    }
  }
  return outs;
}
