import { madZ2 } from './irmad.ts';
import { classifyLearned } from './learned/classify-learned.ts';
import { validOnBothDates, validPixels } from './masks.ts';
import { BARE, BUILT, SEASONAL, type ChangeModel } from './model.ts';
import { windowSink, type WindowSink } from './target.ts';

/** The change classes and scores of one window, plus counts for the run report. */
export interface WindowResult {
  /** 0 none, 1 built, 2 bare, 3 seasonal candidate (see model.ts). */
  cls: Uint8Array;
  /**
   * z·10 clamped to 255: the change magnitude in tenths of a noise standard deviation, set for
   * candidates (the only pixels anything downstream reads it for), 0 elsewhere.
   */
  score: Uint8Array;
  invalid: number;
  seasonal: number;
  greening: number;
}

/** A window's counts for the run report, its classes and scores being written elsewhere. */
export type WindowCounts = Omit<WindowResult, 'cls' | 'score'>;

/** Vegetation index: NDVI with a NIR band, else GRVI (green−red)/(green+red) (Tucker 1979; Motohashi 2008). */
function vegIndex(nirOrGreen: number, red: number): number {
  const s = nirOrGreen + red;
  return s > 0 ? (nirOrGreen - red) / s : 0;
}

let cvaScratch = new Float64Array(0);

/** Σ_b (gain_b·after_b + offset_b − before_b)² · inv_b per pixel, into a reused buffer. */
export function cvaZ2(
  gain: number[],
  offset: number[],
  inv: number[],
  before: Float32Array[],
  after: Float32Array[],
  nb: number,
  n: number,
): Float64Array {
  if (cvaScratch.length < n) cvaScratch = new Float64Array(n);
  const z2 = cvaScratch;
  z2.fill(0, 0, n);
  for (let b = 0; b < nb; b++) {
    const a = after[b];
    const o = before[b];
    const g = gain[b];
    const c = offset[b];
    const w = inv[b];
    for (let i = 0; i < n; i++) {
      const d = g * a[i] + c - o[i];
      z2[i] += d * d * w;
    }
  }
  return z2;
}

/**
 * Classify one window (n pixels; bands in `model.roles` order, SCL last if present).
 *
 * 1. Both dates valid (masks.ts).
 * 2. After normalised onto before; per-band differences in noise units; z = RMS over bands
 *    (change vector analysis, Malila 1980, on noise-whitened bands), or, when the model carries
 *    an IR-MAD transform, the RMS of its noise-scaled MAD variates. z ≤ hysteresis·threshold → no change.
 * 3. The vegetation index rose or the after date is vegetated → greening/regrowth, not hunted.
 * 4. The after surface is classed by its visible spectrum: roofs, concrete and asphalt are
 *    flat and grey (blue/red high) → built; soils redden with wavelength (blue/red low) → bare.
 * 5. Vegetated before and soil-like after is what a harvest or ploughing looks like; on one
 *    pair of dates it is spectrally the same as stripping a field, and seasonal change is far
 *    more common, so it is marked seasonal; detect.ts drops the changed objects made mostly of
 *    such pixels (a per-pixel decision would leave the noisy half of a ploughed field behind). Bare that was not vegetated before (e.g.
 *    fallow turned into a construction pad brighter than any field) is kept.
 */
export function classifyWindow(
  model: ChangeModel,
  before: Float32Array[],
  after: Float32Array[],
  n: number,
  /** Window width (windows are whole rows); the learned classifier's spatial context needs it. */
  width?: number,
): WindowResult {
  if (model.config.learned && !width)
    throw new Error('classifyWindow: the learned classifier needs the window width');
  const w = width ?? n;
  const sink = windowSink(w, n / w);
  const counts = classifyWindowInto(model, before, after, n, w, sink);
  return { ...counts, cls: sink.cls, score: sink.score };
}

/**
 * classifyWindow writing into `sink` (a window's own arrays, or the scene's rasters on a
 * worker: target.ts), for a window `width` pixels wide.
 */
export function classifyWindowInto(
  model: ChangeModel,
  before: Float32Array[],
  after: Float32Array[],
  n: number,
  width: number,
  sink: WindowSink,
): WindowCounts {
  const { gain, offset, sigma, threshold, config, masks, mad } = model;
  const nb = model.roles.length;
  // A trained classifier (learned/: s2 on request, rgb by default) replaces steps 2–5.
  if (config.learned) {
    const valid = validOnBothDates(model, before, after, n);
    const height = n / width;
    const whole = { x: 0, y: 0, width, height };
    return classifyLearned(model, config.learned, before, after, valid, width, height, whole, sink);
  }
  const vb = validPixels(before, masks, n, model.nodataBefore, model.radiometry?.before ?? null);
  const va = validPixels(after, masks, n, model.nodataAfter, model.radiometry?.after ?? null);
  const { cls, score, stride } = sink;
  const { blue, red, nir, green } = masks;
  const vegBand = nir >= 0 ? nir : green;
  const inv = sigma.map((s) => 1 / (s * s * nb));
  let invalid = 0;
  let seasonal = 0;
  let greening = 0;
  // Candidates start at the low (hysteresis) threshold; detect.ts keeps those connected to a strong pixel.
  const low = threshold * config.hysteresis;
  const t2 = low * low;
  // IR-MAD's z² is computed a run of pixels at a time (band-major, see madZ2).
  const run = mad ? Math.min(n, 4096) : 0;
  const madRun = new Float64Array(run);
  const madAcc = new Float64Array(run);
  // CVA's z² band by band over the whole window: one tight loop per band ran twice as fast as
  // the bands looped over per pixel.
  const cva = mad ? undefined : cvaZ2(gain, offset, inv, before, after, nb, n);
  // Pixel i of the window is o in the sink: rows `stride` apart.
  for (let i = 0, x = 0, o = sink.at; i < n; i++, x++, o++) {
    if (x === width) {
      x = 0;
      o += stride - width;
    }
    if (mad && i % run === 0) madZ2(mad, before, after, i, Math.min(run, n - i), madRun, madAcc);
    if (!vb[i] || !va[i]) {
      invalid++;
      continue;
    }
    const z2 = cva ? cva[i] : madRun[i % run];
    if (z2 <= t2) continue;
    const z10 = Math.sqrt(z2) * 10;
    score[o] = z10 > 255 ? 255 : z10;
    const c = candidateClass(
      model,
      after[red][i],
      after[blue][i],
      after[vegBand][i],
      before[red][i],
      before[vegBand][i],
    );
    if (c === GREENING) greening++;
    else {
      cls[o] = c;
      if (c === SEASONAL) seasonal++;
    }
  }
  return { invalid, seasonal, greening };
}

/** candidateClass's answer for greening or regrowth: not hunted, left unclassified. */
export const GREENING = 0;

/**
 * Steps 3–5 for one candidate pixel, from its raw values (the after date not yet normalised):
 * red, blue and the vegetation band (NIR, else green) after, red and the vegetation band
 * before. BUILT, BARE, SEASONAL, or GREENING. Shared by classifyWindow and the interleaved
 * classifier (classify-interleaved.ts).
 */
export function candidateClass(
  model: ChangeModel,
  redAfter: number,
  blueAfter: number,
  vegAfter: number,
  redBefore: number,
  vegBefore: number,
): number {
  const { gain, offset, dark, config, masks } = model;
  const { blue, red } = masks;
  const vegBand = masks.nir >= 0 ? masks.nir : masks.green;
  const redA = gain[red] * redAfter + offset[red] - dark[red];
  const blueA = gain[blue] * blueAfter + offset[blue] - dark[blue];
  const vegA = vegIndex(gain[vegBand] * vegAfter + offset[vegBand] - dark[vegBand], redA);
  const vegB = vegIndex(vegBefore - dark[vegBand], redBefore - dark[red]);
  if (config.rejectGreening && vegA >= config.vegetated && vegA > vegB) return GREENING;
  if (redA > 0 && blueA / redA >= config.builtBlueRed) return BUILT;
  // Decided per object in detect.ts: one pixel's blue/red is too noisy to call a field seasonal.
  if (config.rejectSeasonal && vegB >= config.seasonalVegetated) return SEASONAL;
  return BARE;
}
