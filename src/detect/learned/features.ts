import { GengbaoError } from '../../errors.ts';
import { boxMean, boxMeans, boxStds } from '../../raster/box.ts';
import { dilate } from '../../raster/morphology.ts';
import { quantile } from '../../raster/threshold.ts';
import type { PairSample, ChangeModel, SceneStats } from '../types.ts';
import type { LearnedClassifier } from './classifier.ts';

/**
 * Names of the per-pixel features, in the order `featurePlanes` writes them. Every pixel is
 * described, not only those a magnitude bar lets through: on OSCD fewer than half of the
 * labelled change pixels pass even a low bar on the CVA magnitude (new roofs on bare ground
 * change the spectrum little), so a bar caps recall before the model sees anything.
 *
 * `*_std` and `before_*`/`after_*` are per scene standardised (median, 10–90 % spread): the
 * dates' radiometry differs from scene to scene (L1C top of atmosphere, haze, season), and
 * a model must carry from the cities it learned on to scenes it never saw.
 * `_meanN`: box mean over N×N pixels; `_stdN`: box standard deviation.
 */
function featureNames(bands: string[]): string[] {
  // The vegetation index of the bands at hand: NDVI with NIR, GRVI (green−red) without it,
  // as the rule-based path uses (classify.ts); NDWI needs NIR.
  const hasNir = bands.includes('nir');
  const vi = hasNir ? 'ndvi' : 'grvi';
  return [
    ...bands.map((b) => `before_${b}`),
    ...bands.map((b) => `after_${b}`),
    ...bands.map((b) => `d_${b}`),
    `${vi}_before`,
    `${vi}_after`,
    `${vi}_change`,
    ...(hasNir ? ['ndwi_before', 'ndwi_after'] : []),
    'bright_before',
    'bright_after',
    'log_bright_ratio',
    'magnitude',
    'spectral_angle',
    'magnitude_mean3',
    'magnitude_mean7',
    'magnitude_mean15',
    'magnitude_mean31',
    ...bands.map((b) => `d_${b}_mean7`),
    `${vi}_change_mean7`,
    'bright_before_std3',
    'bright_after_std3',
    'bright_before_std7',
    'bright_after_std7',
    'std3_change',
    'std7_change',
    'gradient_before',
    'gradient_after',
    'magnitude_minshift',
    'magnitude_minshift_mean7',
    'magnitude_rank',
  ];
}

/** The features of four-band (blue, green, red, NIR) scenes: Sentinel-2's learned classifier. */
export const FEATURE_NAMES: readonly string[] = featureNames(['blue', 'green', 'red', 'nir']);
/** The features of three-band aerial or drone RGB: the rgb profile's learned classifier. */
export const RGB_FEATURE_NAMES: readonly string[] = featureNames(['blue', 'green', 'red']);

/** The feature names featurePlanes computes for the model's bands. */
export function featureNamesOf(model: Pick<ChangeModel, 'masks'>): readonly string[] {
  return model.masks.nir >= 0 ? FEATURE_NAMES : RGB_FEATURE_NAMES;
}

/**
 * How far (pixels) a feature looks from its pixel: the widest box (31×31) has radius 15. A
 * window read with this much margin on every side (clipped at the scene's edge) gives its
 * inner pixels the features the whole scene would.
 */
export const FEATURE_RADIUS = 15;

/** Full scale of the uncalibrated DNs the learned rgb classifier is trained on (8-bit). */
export const DN_FULL_SCALE = 255;

/** Quantiles of the magnitude kept per scene for `magnitude_rank`. */
const RANKS = 256;

/** Band names in describedBands' order. */
const BAND_NAMES = ['blue', 'green', 'red', 'nir'];

/** Model bands of blue, green, red and NIR where the scene has it (every s2 scene does). */
function describedBands(model: Pick<ChangeModel, 'masks'>): number[] {
  const { blue, green, red, nir } = model.masks;
  return nir >= 0 ? [blue, green, red, nir] : [blue, green, red];
}

/** Quantile q of sorted values, of the same rank as threshold.ts's `quantile` picks. */
function at(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(q * (sorted.length - 1))))];
}

/** The SceneStats of a pair from its calibration sample. */
export function sceneStats(model: ChangeModel, sample: PairSample): SceneStats {
  const bands = describedBands(model);
  const centre: [number[], number[]] = [[], []];
  const spread: [number[], number[]] = [[], []];
  [sample.before, sample.after].forEach((date, d) => {
    for (const b of bands) {
      centre[d].push(quantile(date[b], 0.5));
      spread[d].push(Math.max(quantile(date[b], 0.9) - quantile(date[b], 0.1), 1e-6));
    }
  });
  const m = sample.before[bands[0]].length;
  const mag = new Float32Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let k = 0; k < bands.length; k++) {
      const d =
        (sample.after[bands[k]][i] - centre[1][k]) / spread[1][k] -
        (sample.before[bands[k]][i] - centre[0][k]) / spread[0][k];
      s += d * d;
    }
    mag[i] = Math.sqrt(s);
  }
  // All RANKS + 1 quantiles: one sort, where the bands' three each are selected.
  const sorted = Float64Array.from(mag).sort();
  const magnitude = Array.from({ length: RANKS + 1 }, (_, k) => at(sorted, k / RANKS));
  return { centre, spread, magnitude };
}

/**
 * Refuse a learned classifier a scene it cannot describe, before any window is classified:
 * one trained on other bands' features (an s2 model on RGB), or a scene of uncalibrated DNs
 * beyond 8 bits, since the classifier's brightness is in 8-bit DNs (DN_FULL_SCALE) and 12- or
 * 16-bit values would put every pixel off the scale its trees learned. `where` names the pair.
 */
export function checkLearnedFits(
  learned: Pick<LearnedClassifier, 'features'>,
  model: Pick<ChangeModel, 'masks' | 'config' | 'roles'>,
  sample: PairSample,
  where: string,
): void {
  if (learned.features.join() !== featureNamesOf(model).join())
    throw new GengbaoError(
      'bad_input',
      `${where}: the learned classifier was trained on ${learned.features.length} features of other bands than this scene's ${model.roles.join(', ')}`,
      { field: 'classifier' },
    );
  if (model.config.reflectanceScale !== null) return;
  for (const date of [sample.before, sample.after])
    for (const b of describedBands(model)) {
      const v = date[b];
      for (let i = 0; i < v.length; i++)
        if (v[i] > DN_FULL_SCALE)
          throw new GengbaoError(
            'bad_input',
            `${where}: values up to ${DN_FULL_SCALE} expected (8-bit RGB, as the learned classifier was trained on), found ${v[i]}; stretch the imagery to 8 bits or use the rules (--classifier rules)`,
            { field: 'classifier' },
          );
    }
}

/**
 * The `magnitude` feature alone over `n` pixels, into `out`: the same float32 values as
 * featurePlanes' plane (each standardised band and difference rounded to float32 as its
 * planes store them), for the cascade (cascade.ts), which needs it everywhere and the other
 * features almost nowhere.
 */
export function magnitudePlane(
  model: Pick<ChangeModel, 'masks'>,
  stats: SceneStats,
  before: Float32Array[],
  after: Float32Array[],
  n: number,
  out: Float32Array,
): Float32Array {
  const described = describedBands(model);
  // The squares summed in float64, as featurePlanes sums them.
  if (sumScratch.length < n) sumScratch = new Float64Array(n);
  const sum = sumScratch;
  sum.fill(0, 0, n);
  described.forEach((band, k) => {
    const [B, A] = [before[band], after[band]];
    const cb = stats.centre[0][k];
    const sb = 1 / stats.spread[0][k];
    const ca = stats.centre[1][k];
    const sa = 1 / stats.spread[1][k];
    for (let i = 0; i < n; i++) {
      const d = Math.fround(Math.fround((A[i] - ca) * sa) - Math.fround((B[i] - cb) * sb));
      sum[i] += d * d;
    }
  });
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(sum[i]);
  return out;
}

/** magnitudePlane's sums of squares (each worker thread has its own module state). */
let sumScratch = new Float64Array(0);

/** Normalised difference (a−b)/(a+b), 0 when undefined. */
function nd(a: number, b: number): number {
  const s = a + b;
  return s > 0 ? (a - b) / s : 0;
}

/** Share of the scene's magnitudes below v, interpolated between the stored quantiles. */
function rankOf(q: number[], v: number): number {
  if (!(v > q[0])) return 0;
  if (v >= q[RANKS]) return 1;
  let lo = 0;
  let hi = RANKS;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (q[mid] <= v) lo = mid;
    else hi = mid;
  }
  const span = q[hi] - q[lo];
  return (lo + (span > 0 ? (v - q[lo]) / span : 0)) / RANKS;
}

/** Sobel gradient magnitude of a raster, edges clamped, into `out` (with `at`, only there). */
function gradient(
  src: Float32Array,
  w: number,
  h: number,
  out: Float32Array,
  at?: Uint8Array,
): Float32Array {
  for (let y = 0; y < h; y++) {
    const ym = (y > 0 ? y - 1 : 0) * w;
    const y0 = y * w;
    const yp = (y < h - 1 ? y + 1 : y) * w;
    for (let x = 0; x < w; x++) {
      if (at && !at[y0 + x]) continue;
      const xm = x > 0 ? x - 1 : 0;
      const xp = x < w - 1 ? x + 1 : x;
      const gx =
        src[ym + xp] +
        2 * src[y0 + xp] +
        src[yp + xp] -
        src[ym + xm] -
        2 * src[y0 + xm] -
        src[yp + xm];
      const gy =
        src[yp + xm] +
        2 * src[yp + x] +
        src[yp + xp] -
        src[ym + xm] -
        2 * src[ym + x] -
        src[ym + xp];
      out[y0 + x] = Math.sqrt(gx * gx + gy * gy);
    }
  }
  return out;
}

/**
 * The smallest change magnitude between a pixel's before value and the after values of its
 * 3×3 neighbourhood: Sentinel-2 dates are co-registered to within about a pixel, and an edge
 * shifted by one pixel looks like change to a per-pixel difference but not to this. With
 * `region`, only there (0 elsewhere, so that box means over it stay finite).
 */
/** The squared change from before values b0…b3 to the after values at pixel j (minShiftMagnitude). */
function shiftSum(
  A0: Float32Array,
  A1: Float32Array,
  A2: Float32Array,
  A3: Float32Array,
  j: number,
  b0: number,
  b1: number,
  b2: number,
  b3: number,
): number {
  let d = A0[j] - b0;
  let s = 0;
  s += d * d;
  d = A1[j] - b1;
  s += d * d;
  d = A2[j] - b2;
  s += d * d;
  d = A3[j] - b3;
  s += d * d;
  return s;
}

function minShiftMagnitude(
  bs: Float32Array[],
  as: Float32Array[],
  w: number,
  h: number,
  out: Float32Array,
  region?: Uint8Array,
): Float32Array {
  const [B0, B1, B2, B3] = bs;
  const [A0, A1, A2, A3] = as;
  // Pixel by pixel, its nine neighbours in a row (rows and columns clamped at the edge): the
  // least of the nine sums kept in a local, stored once. The stored value is the float32 of
  // the least sum whatever the order the sums are met in (rounding is monotonic), which is
  // what the nine passes over the window that came before stored (0.2 s less per window).
  for (let y = 0; y < h; y++) {
    const r0 = (y > 0 ? y - 1 : 0) * w;
    const r1 = y * w;
    const r2 = (y < h - 1 ? y + 1 : y) * w;
    for (let x = 0; x < w; x++) {
      const i = r1 + x;
      if (region && !region[i]) {
        out[i] = 0;
        continue;
      }
      const b0 = B0[i];
      const b1 = B1[i];
      const b2 = B2[i];
      const b3 = B3[i];
      const c0 = x > 0 ? x - 1 : 0;
      const c2 = x < w - 1 ? x + 1 : x;
      // The nine neighbours unrolled (rows r0, r1, r2; columns c0, x, c2).
      let least = Infinity;
      let s = shiftSum(A0, A1, A2, A3, r0 + c0, b0, b1, b2, b3);
      if (s < least) least = s;
      s = shiftSum(A0, A1, A2, A3, r0 + x, b0, b1, b2, b3);
      if (s < least) least = s;
      s = shiftSum(A0, A1, A2, A3, r0 + c2, b0, b1, b2, b3);
      if (s < least) least = s;
      s = shiftSum(A0, A1, A2, A3, r1 + c0, b0, b1, b2, b3);
      if (s < least) least = s;
      s = shiftSum(A0, A1, A2, A3, i, b0, b1, b2, b3);
      if (s < least) least = s;
      s = shiftSum(A0, A1, A2, A3, r1 + c2, b0, b1, b2, b3);
      if (s < least) least = s;
      s = shiftSum(A0, A1, A2, A3, r2 + c0, b0, b1, b2, b3);
      if (s < least) least = s;
      s = shiftSum(A0, A1, A2, A3, r2 + x, b0, b1, b2, b3);
      if (s < least) least = s;
      s = shiftSum(A0, A1, A2, A3, r2 + c2, b0, b1, b2, b3);
      if (s < least) least = s;
      out[i] = Math.sqrt(Math.fround(least));
    }
  }
  return out;
}

/**
 * Every feature of every pixel of a `w`×`h` window (bands in `model.roles` order), as one
 * plane per feature in featureNamesOf(model)'s order. Context features clip their boxes at the window's
 * edge: read the window with FEATURE_RADIUS of margin (classify-pair.ts does) to get the
 * scene's values. Training (scripts/train-detect.ts) and inference (classify-learned.ts)
 * both call this, so the two cannot drift apart. `reuse`: a previous call's planes the caller
 * is done with, filled again where they have the window's size (some 50 fresh planes per
 * window cost the OS paging them in and the collector freeing them).
 *
 * `at`: the features only of the pixels it sets (the cascade's, classify-learned.ts); the
 * planes hold nothing meaningful elsewhere. The per-pixel features are computed only there,
 * the planes the boxes average only within FEATURE_RADIUS of them, so a window where few
 * pixels are wanted costs a fraction of the whole. The values are those of the whole
 * computation (the summed-area tables see zeros instead of far pixels, which can move a box
 * mean by a float32 rounding step, no more).
 */
export function featurePlanes(
  model: ChangeModel,
  stats: SceneStats,
  before: Float32Array[],
  after: Float32Array[],
  w: number,
  h: number,
  reuse: Float32Array[] = [],
  at?: Uint8Array,
): Float32Array[] {
  const n = w * h;
  const described = describedBands(model);
  const nb = described.length;
  // Where the boxes' planes are needed: within the widest box of a wanted pixel; and the
  // minimum shift (averaged over 7×7) within 3.
  const region = at && dilate(at, w, h, FEATURE_RADIUS);
  const shiftRegion = at && dilate(at, w, h, 3);
  // Brightness in reflectance where the sensor's scale is known, else in 8-bit DNs over
  // their full scale: absolute brightness separates new roofs on LEVIR's 8-bit aerial pairs
  // (held-out raw pixel F1 0.474), brightness relative to each date's median did not (0.309); detect.ts
  // refuses the learned classifier on DN scenes beyond 8 bits. Each date's zero (Sentinel-2's
  // offset from processing baseline 04.00, radiometry.ts) comes off before the indices,
  // brightness and angle, which a constant added to the bands would shift.
  const r = model.radiometry;
  const [zeroB, zeroA] = [r?.before.zero ?? 0, r?.after.zero ?? 0];
  const scaleB = 1 / (r?.before.scale ?? DN_FULL_SCALE);
  const scaleA = 1 / (r?.after.scale ?? DN_FULL_SCALE);
  // Every plane below is written at every pixel (of `region` with `at`, 0 elsewhere where a
  // box reads it), so reused ones need no clearing.
  const spare = reuse.filter((p) => p.length === n);
  const plane = (): Float32Array => spare.pop() ?? new Float32Array(n);
  // Without NIR (RGB) a zero fourth band stands in: it adds nothing to the sums of squares,
  // products and the minimum shift below, and its planes are not returned.
  const zero = nb < 4 ? new Float32Array(n) : undefined;
  const B = [0, 1, 2, 3].map((k) => (k < nb ? before[described[k]] : zero!));
  const A = [0, 1, 2, 3].map((k) => (k < nb ? after[described[k]] : zero!));
  const bs = [0, 1, 2, 3].map((k) => (k < nb ? plane() : zero!));
  const as = [0, 1, 2, 3].map((k) => (k < nb ? plane() : zero!));
  const ds = [0, 1, 2, 3].map((k) => (k < nb ? plane() : zero!));
  for (let k = 0; k < nb; k++) {
    const cb = stats.centre[0][k];
    const sb = 1 / stats.spread[0][k];
    const ca = stats.centre[1][k];
    const sa = 1 / stats.spread[1][k];
    for (let i = 0; i < n; i++) {
      if (region && !region[i]) {
        bs[k][i] = as[k][i] = ds[k][i] = 0;
        continue;
      }
      bs[k][i] = (B[k][i] - cb) * sb;
      as[k][i] = (A[k][i] - ca) * sa;
      ds[k][i] = as[k][i] - bs[k][i];
    }
  }
  // Plain locals, not a destructured array per pixel, in the loop below.
  const [B0, B1, B2, B3] = B;
  const [A0, A1, A2, A3] = A;
  // The vegetation index's upper band: NIR (NDVI), or green (GRVI) without it.
  const vegFromGreen = nb < 4;
  const mean = 1 / nb;
  const [ndviB, ndviA, ndviD, ndwiB, ndwiA, brB, brA, logRatio, mag, angle] = Array.from(
    { length: 10 },
    plane,
  );
  for (let i = 0; i < n; i++) {
    if (region && !region[i]) {
      ndviD[i] = brB[i] = brA[i] = mag[i] = 0;
      continue;
    }
    // (RGB has no radiometry: its zeros are 0 and its missing fourth band stays 0.)
    const b0 = B0[i] - zeroB;
    const b1 = B1[i] - zeroB;
    const b2 = B2[i] - zeroB;
    const b3 = B3[i] - zeroB;
    const a0 = A0[i] - zeroA;
    const a1 = A1[i] - zeroA;
    const a2 = A2[i] - zeroA;
    const a3 = A3[i] - zeroA;
    ndviB[i] = nd(vegFromGreen ? b1 : b3, b2);
    ndviA[i] = nd(vegFromGreen ? a1 : a3, a2);
    ndviD[i] = ndviA[i] - ndviB[i];
    brB[i] = (b0 + b1 + b2 + b3) * mean * scaleB;
    brA[i] = (a0 + a1 + a2 + a3) * mean * scaleA;
    const d0 = ds[0][i];
    const d1 = ds[1][i];
    const d2 = ds[2][i];
    const d3 = ds[3][i];
    mag[i] = Math.sqrt(d0 * d0 + d1 * d1 + d2 * d2 + d3 * d3);
    // What no box reads, only where wanted.
    if (at && !at[i]) continue;
    ndwiB[i] = nd(b1, b3);
    ndwiA[i] = nd(a1, a3);
    logRatio[i] = Math.log((brA[i] + 1e-3) / (brB[i] + 1e-3));
    const normB = Math.sqrt(b0 * b0 + b1 * b1 + b2 * b2 + b3 * b3);
    const normA = Math.sqrt(a0 * a0 + a1 * a1 + a2 * a2 + a3 * a3);
    const cos =
      normB > 0 && normA > 0 ? (b0 * a0 + b1 * a1 + b2 * a2 + b3 * a3) / (normB * normA) : 1;
    angle[i] = Math.acos(cos > 1 ? 1 : cos < -1 ? -1 : cos);
  }
  const [stdB3, stdB7] = boxStds(brB, w, h, [1, 3], plane, at);
  const [stdA3, stdA7] = boxStds(brA, w, h, [1, 3], plane, at);
  const std3Change = plane();
  const std7Change = plane();
  const rank = plane();
  for (let i = 0; i < n; i++) {
    if (at && !at[i]) continue;
    std3Change[i] = stdA3[i] - stdB3[i];
    std7Change[i] = stdA7[i] - stdB7[i];
    rank[i] = rankOf(stats.magnitude, mag[i]);
  }
  const minShift = minShiftMagnitude(bs, as, w, h, plane(), shiftRegion);
  const vi = nb < 4 ? 'grvi' : 'ndvi';
  const planes: Record<string, Float32Array> = {
    ndwi_before: ndwiB,
    ndwi_after: ndwiA,
    [`${vi}_before`]: ndviB,
    [`${vi}_after`]: ndviA,
    [`${vi}_change`]: ndviD,
    bright_before: brB,
    bright_after: brA,
    log_bright_ratio: logRatio,
    magnitude: mag,
    spectral_angle: angle,
    [`${vi}_change_mean7`]: boxMean(ndviD, w, h, 3, plane(), at),
    bright_before_std3: stdB3,
    bright_after_std3: stdA3,
    bright_before_std7: stdB7,
    bright_after_std7: stdA7,
    std3_change: std3Change,
    std7_change: std7Change,
    gradient_before: gradient(brB, w, h, plane(), at),
    gradient_after: gradient(brA, w, h, plane(), at),
    magnitude_minshift: minShift,
    magnitude_minshift_mean7: boxMean(minShift, w, h, 3, plane(), at),
    magnitude_rank: rank,
  };
  boxMeans(mag, w, h, [1, 3, 7, 15], plane, at).forEach(
    (p, k) => (planes[`magnitude_mean${[3, 7, 15, 31][k]}`] = p),
  );
  for (let k = 0; k < nb; k++) {
    const band = BAND_NAMES[k];
    planes[`before_${band}`] = bs[k];
    planes[`after_${band}`] = as[k];
    planes[`d_${band}`] = ds[k];
    planes[`d_${band}_mean7`] = boxMean(ds[k], w, h, 3, plane(), at);
  }
  // Without NIR the NDWI planes hold nothing useful (cheaper than a test per pixel) and are
  // left out.
  return featureNamesOf(model).map((name) => planes[name]);
}
