/**
 * Box (moving-window) means over a raster, the box clipped at the raster's edges: the mean of
 * the pixels of the (2r+1)² square around each pixel that lie inside the raster. By a
 * summed-area table (Crow 1984), so the cost is four reads per pixel whatever the radius.
 *
 * Why hand-written: the npm image libraries filter images of 8-bit channels, not Float32
 * rasters, and none clips the box (they pad or reflect, which biases the edge of a window).
 */

/** Reused summed-area table (each worker thread has its own module state). */
let sat = new Float64Array(0);

/** Build the summed-area table of `src` (width `w`, height `h`) into `sat`. */
function buildSat(src: ArrayLike<number>, w: number, h: number): void {
  const W1 = w + 1;
  if (sat.length < W1 * (h + 1)) sat = new Float64Array(W1 * (h + 1));
  sat.fill(0, 0, W1);
  for (let y = 0; y < h; y++) {
    const o = (y + 1) * W1;
    const p = y * W1;
    let row = 0;
    sat[o] = 0;
    for (let x = 0, i = y * w; x < w; x++, i++) {
      row += src[i];
      sat[o + x + 1] = sat[p + x + 1] + row;
    }
  }
}

/**
 * Box means of radius `r` from the summed-area table last built, into `out`; with `at`, only
 * where `at` is set (the rest of `out` is left as it was).
 */
function meansFromSat(
  w: number,
  h: number,
  r: number,
  out: Float32Array,
  at?: Uint8Array,
): Float32Array {
  const W1 = w + 1;
  for (let y = 0; y < h; y++) {
    const y0 = y - r < 0 ? 0 : y - r;
    const y1 = y + r + 1 > h ? h : y + r + 1;
    const top = y0 * W1;
    const bottom = y1 * W1;
    for (let x = 0; x < w; x++) {
      if (at && !at[y * w + x]) continue;
      const x0 = x - r < 0 ? 0 : x - r;
      const x1 = x + r + 1 > w ? w : x + r + 1;
      const s = sat[bottom + x1] - sat[bottom + x0] - sat[top + x1] + sat[top + x0];
      out[y * w + x] = s / ((y1 - y0) * (x1 - x0));
    }
  }
  return out;
}

/**
 * Box means of `src` (width `w`, height `h`) of radius `r` into `out` (fresh when omitted);
 * with `at`, only where `at` is set. Values of `src` farther than `r` from those pixels do not
 * enter their means, but must be finite (the table sums them; zeros do).
 */
export function boxMean(
  src: ArrayLike<number>,
  w: number,
  h: number,
  r: number,
  out: Float32Array = new Float32Array(w * h),
  at?: Uint8Array,
): Float32Array {
  return boxMeans(src, w, h, [r], () => out, at)[0];
}

/**
 * Box means of `src` for each radius of `radii`, from one summed-area table: building the
 * table is half the cost of a box mean, and the learned features take several radii of the
 * same plane. With `at`, the means only where `at` is set (see boxMean).
 */
export function boxMeans(
  src: ArrayLike<number>,
  w: number,
  h: number,
  radii: number[],
  plane: () => Float32Array = () => new Float32Array(w * h),
  at?: Uint8Array,
): Float32Array[] {
  buildSat(src, w, h);
  return radii.map((r) => meansFromSat(w, h, r, plane(), at));
}

/** Reused squares and mean squares of boxStds (each worker thread has its own module state). */
let stdScratch: Float32Array[] = [];

/**
 * Box standard deviations of `src` for each radius of `radii`: √(mean(x²) − mean(x)²),
 * clipped like boxMean, two summed-area tables in all (see boxMeans); the results in arrays
 * from `plane`, with `at` only where `at` is set (see boxMean).
 */
export function boxStds(
  src: Float32Array,
  w: number,
  h: number,
  radii: number[],
  plane: () => Float32Array = () => new Float32Array(w * h),
  at?: Uint8Array,
): Float32Array[] {
  if (stdScratch[0]?.length !== src.length || stdScratch.length < radii.length + 1)
    stdScratch = Array.from({ length: radii.length + 1 }, () => new Float32Array(src.length));
  const [sq, ...squares] = stdScratch;
  for (let i = 0; i < src.length; i++) sq[i] = src[i] * src[i];
  let k = 0;
  const m2 = boxMeans(sq, w, h, radii, () => squares[k++], at);
  const ms = boxMeans(src, w, h, radii, plane, at);
  return ms.map((m, k) => {
    for (let i = 0; i < m.length; i++) {
      if (at && !at[i]) continue;
      const v = m2[k][i] - m[i] * m[i];
      m[i] = v > 0 ? Math.sqrt(v) : 0;
    }
    return m;
  });
}
