import { madZ2 } from './irmad.ts';
import { classifyLearned } from './learned/classify-learned.ts';
import { validOnBothDates, validPixels } from './masks.ts';
import { SEASONAL } from './model.ts';
import { windowSink, type WindowSink } from './target.ts';
import type { ChangeModel, WindowResult, WindowCounts } from './types.ts';
import { cvaZ2, candidateClass, GREENING } from './pixel-rules.ts';

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
