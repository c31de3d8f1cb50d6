import { GengbaoError } from '../errors.ts';
import { crsLabel, fromLonLat, toLonLat } from './crs.ts';
import type { GridAlignment, PixelWindow, RasterGrid } from './grid.ts';

/**
 * Where the before grid's points fall in the after grid when the two are in different CRSs:
 * after-grid pixel coordinates (fractional; pixel (c, r) spans c..c+1) computed exactly at
 * the nodes of a mesh every `step` before pixels, interpolated bilinearly in between. This
 * is GDAL's approximate transformer: between two UTM / Gauss–Krüger zones the mapping bends
 * far less than a hundredth of a pixel over a mesh cell (the test measures it), and one exact
 * transform per 4096 pixels instead of one per pixel keeps a 10980² tile's reprojection
 * cheap. Plain numbers, so that it travels to worker threads.
 */
export interface WarpMesh {
  step: number;
  /** Nodes across and down: node (i, j) is the before-grid point (i·step, j·step). */
  cols: number;
  rows: number;
  /** After-grid pixel coordinates per node (row-major); NaN where the transform fails. */
  ax: Float64Array;
  ay: Float64Array;
}

const STEP = 64;

/**
 * The alignment of an after grid in another CRS: the mesh, and the before-grid window of the
 * mesh cells with a corner inside the after grid. The mesh is fine enough for the after grid
 * to span two cells either way, so every cell it overlaps has a corner inside it. Pixels of
 * the window whose centres fall outside the after grid read as NaN, which the masks treat
 * as nodata. Refused, naming both grids, when the two do not overlap.
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
  const step = Math.max(1, Math.min(STEP, Math.floor(afterSpan(before, after) / 2)));
  const mesh = warpMesh(before, after, step);
  const inside = (k: number): boolean =>
    mesh.ax[k] >= 0 && mesh.ax[k] <= after.width && mesh.ay[k] >= 0 && mesh.ay[k] <= after.height;
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let j = 0; j + 1 < mesh.rows; j++)
    for (let i = 0; i + 1 < mesh.cols; i++) {
      const k = j * mesh.cols + i;
      if (!(inside(k) || inside(k + 1) || inside(k + mesh.cols) || inside(k + mesh.cols + 1)))
        continue;
      x0 = Math.min(x0, i * step);
      y0 = Math.min(y0, j * step);
      x1 = Math.max(x1, Math.min(before.width, (i + 1) * step) - 1);
      y1 = Math.max(y1, Math.min(before.height, (j + 1) * step) - 1);
    }
  if (!(x1 >= x0 && y1 >= y0))
    throw new GengbaoError('bad_input', `before and after do not overlap (${both})`, {
      field: 'after',
    });
  const note = `before and after are in different CRSs (${both}); after reprojected from ${crsLabel(after.crs)} onto the before grid (${crsLabel(before.crs)}) by nearest neighbour; processing before-grid window x ${x0}..${x1}, y ${y0}..${y1}`;
  return {
    window: { x0, y0, width: x1 - x0 + 1, height: y1 - y0 + 1 },
    // The affine fields do not apply: `warp` maps the pixels.
    scaleX: NaN,
    offX: NaN,
    scaleY: NaN,
    offY: NaN,
    identity: false,
    note,
    warp: { mesh, width: after.width, height: after.height },
  };
}

/** The after grid's smaller extent in before pixels (its corners taken into the before CRS). */
function afterSpan(before: RasterGrid, after: RasterGrid): number {
  const lonLat = toLonLat(after.crs);
  const into = fromLonLat(before.crs);
  const corner = (c: number, r: number): [number, number] => {
    const [x, y] = into(
      ...lonLat(after.originX + c * after.pixelWidth, after.originY - r * after.pixelHeight),
    );
    return [(x - before.originX) / before.pixelWidth, (before.originY - y) / before.pixelHeight];
  };
  try {
    const p = [
      corner(0, 0),
      corner(after.width, 0),
      corner(0, after.height),
      corner(after.width, after.height),
    ];
    const span = (k: 0 | 1): number =>
      Math.max(...p.map((q) => q[k])) - Math.min(...p.map((q) => q[k]));
    const s = Math.min(span(0), span(1));
    return s === s ? s : 2 * STEP;
  } catch {
    return 2 * STEP;
  }
}

/** The mesh mapping `before`'s pixel coordinates into `after`'s. */
export function warpMesh(before: RasterGrid, after: RasterGrid, step = STEP): WarpMesh {
  const cols = Math.ceil(before.width / step) + 1;
  const rows = Math.ceil(before.height / step) + 1;
  const lonLat = toLonLat(before.crs);
  const into = fromLonLat(after.crs);
  const ax = new Float64Array(cols * rows);
  const ay = new Float64Array(cols * rows);
  for (let j = 0; j < rows; j++)
    for (let i = 0; i < cols; i++) {
      let x = NaN;
      let y = NaN;
      try {
        const [lon, lat] = lonLat(
          before.originX + i * step * before.pixelWidth,
          before.originY - j * step * before.pixelHeight,
        );
        [x, y] = into(lon, lat);
      } catch {
        // outside the projection's domain: no after pixel here
      }
      ax[j * cols + i] = (x - after.originX) / after.pixelWidth;
      ay[j * cols + i] = (after.originY - y) / after.pixelHeight;
    }
  return { step, cols, rows, ax, ay };
}

/**
 * The after-grid pixel coordinates of the centres of row `v` (a before-grid row) from column
 * `u0`, `n` pixels, into `outX` / `outY`.
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
  const fv = (v + 0.5) / step;
  const j = Math.min(Math.floor(fv), m.rows - 2);
  const ty = fv - j;
  const top = j * cols;
  const bottom = top + cols;
  for (let k = 0; k < n; k++) {
    const fu = (u0 + k + 0.5) / step;
    const i = Math.min(Math.floor(fu), cols - 2);
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
  const i0 = Math.floor(w.x0 / m.step);
  const i1 = Math.min(m.cols - 1, Math.ceil((w.x0 + w.width) / m.step));
  const j0 = Math.floor(w.y0 / m.step);
  const j1 = Math.min(m.rows - 1, Math.ceil((w.y0 + w.height) / m.step));
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
