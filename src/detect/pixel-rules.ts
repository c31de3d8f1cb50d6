/**
 * The per-pixel change rules every classifier shares (classify.ts, classify-interleaved.ts,
 * learned/classify-learned.ts): the CVA magnitude and a candidate pixel's class.
 */
import { BARE, BUILT, SEASONAL } from './model.ts';
import type { ChangeModel } from './types.ts';

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
  // Decided per object in objects.ts: one pixel's blue/red is too noisy to call a field seasonal.
  if (config.rejectSeasonal && vegB >= config.seasonalVegetated) return SEASONAL;
  return BARE;
}
