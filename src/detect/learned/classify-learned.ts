import { boxMean } from '../../raster/box.ts';
import type { WindowSink } from '../target.ts';
import { SEASONAL } from '../model.ts';
import { dilate } from '../../raster/morphology.ts';
import { cascadeSeeds, type InnerRect } from './cascade.ts';
import { FEATURE_RADIUS, featurePlanes } from './features.ts';
import { inferenceLogit, logitFunction, type LogitFunction } from './compiled-trees.ts';
import { candidateClass, cvaZ2, GREENING } from '../pixel-rules.ts';
import type { WindowCounts, ChangeModel } from '../types.ts';
import type { LearnedClassifier } from './classifier.ts';

/** Index of the `magnitude` feature in the classifier's feature vector. */
const magnitudeOf = (c: LearnedClassifier): number => c.features.indexOf('magnitude');

/** Pixels of margin a window needs on each side for its inner pixels to be classified as in the whole scene. */
export function learnedHalo(c: LearnedClassifier): number {
  return FEATURE_RADIUS + c.smoothRadius;
}

/**
 * The probability of change of every pixel of a window (0 where `valid` is 0 or the pixel's
 * magnitude is under the floor), before averaging. Training (scripts/train-detect.ts) scores
 * its held-out cities with this too. `at`: only the pixels it sets (the cascade's, with
 * featurePlanes' features only there), 0 elsewhere. `logit`: every tree (logitFunction) unless
 * detection passes its early exit (inferenceLogit).
 */
export function changeProbability(
  learned: LearnedClassifier,
  planes: Float32Array[],
  valid: Uint8Array,
  at?: Uint8Array,
  logit: LogitFunction = logitFunction(learned),
): Float32Array {
  const n = valid.length;
  const p = new Float32Array(n);
  const nf = learned.features.length;
  const x = new Float32Array(nf);
  const mag = planes[magnitudeOf(learned)];
  const floor = learned.magnitudeFloor;
  for (let i = 0; i < n; i++) {
    // Below the floor a pixel cannot be change itself (learnedChange): it votes 0 into its
    // neighbours' averages without walking the trees. Most of a scene is below it.
    if (!valid[i] || (at && !at[i]) || mag[i] < floor) continue;
    for (let f = 0; f < nf; f++) x[f] = planes[f][i];
    const s = logit(x);
    p[i] = 1 / (1 + Math.exp(-s));
  }
  return p;
}

/** The probability of change of every pixel averaged over the classifier's box (smoothRadius). */
export function averagedProbability(
  learned: LearnedClassifier,
  planes: Float32Array[],
  valid: Uint8Array,
  width: number,
  height: number,
  at?: Uint8Array,
  logit?: LogitFunction,
): Float32Array {
  return boxMean(
    changeProbability(learned, planes, valid, at, logit),
    width,
    height,
    learned.smoothRadius,
  );
}

/**
 * Which pixels of a window are change: the averaged probability `p` (averagedProbability)
 * passes the classifier's cut and the pixel's own magnitude its floor. Training picks the cut
 * with exactly this decision.
 */
export function learnedChange(
  learned: LearnedClassifier,
  planes: Float32Array[],
  valid: Uint8Array,
  p: Float32Array,
): Uint8Array {
  const mag = planes[magnitudeOf(learned)];
  const out = new Uint8Array(p.length);
  for (let i = 0; i < p.length; i++)
    out[i] = valid[i] && p[i] > learned.cut && mag[i] >= learned.magnitudeFloor ? 1 : 0;
  return out;
}

/** The last window's feature planes, which the next fills again (one per thread). */
let spare: Float32Array[] = [];

/**
 * How far from the cut a seed's box mean must lie for a decision taken from bounds or from a
 * direct sum of its box to be the one the summed-area table (boxMean) gives: the table's
 * float64 sums differ from a direct sum by under 1e-9, the float32 rounding of the mean by
 * under 1e-8.
 */
const TIE = 1e-6;

/**
 * The probabilities of the pixels `list` names (the first `count`) into `p`, as
 * changeProbability computes them, each marked in `known`.
 */
function probabilitiesAt(
  logit: LogitFunction,
  planes: Float32Array[],
  list: Int32Array,
  count: number,
  p: Float32Array,
  known: Uint8Array,
): void {
  const nf = planes.length;
  const x = new Float32Array(nf);
  for (let k = 0; k < count; k++) {
    const i = list[k];
    for (let f = 0; f < nf; f++) x[f] = planes[f][i];
    p[i] = 1 / (1 + Math.exp(-logit(x)));
    known[i] = 1;
  }
}

/**
 * The box of radius `r` around pixel `i` of a `width` × `height` window, clipped to it, into
 * `box`: rows box[0] up to box[1] and columns box[2] up to box[3] (ends excluded).
 */
function boxAround(i: number, width: number, height: number, r: number, box: Int32Array): void {
  const y = (i / width) | 0;
  const x = i - y * width;
  box[0] = y - r < 0 ? 0 : y - r;
  box[1] = y + r + 1 > height ? height : y + r + 1;
  box[2] = x - r < 0 ? 0 : x - r;
  box[3] = x + r + 1 > width ? width : x + r + 1;
}

/**
 * Which seeds learnedChange calls change, the trees walked at as few pixels as the decisions
 * allow, with exactly the decisions of the averaged probability over every pixel of `at`
 * (`at`: the seeds dilated by smoothRadius). A seed's box mean of probabilities passes the
 * cut or not; the trees are first walked at the seeds only, and a seed whose box already
 * passes with its other pixels counted 0, or cannot pass with them counted 1 (no probability
 * exceeds 1), is decided (by more than TIE). Only the boxes of the seeds left undecided get
 * the trees at their other pixels (those over the floor: below it the probability is 0), and
 * their sums decide them. A sum within TIE of the cut falls back to the whole computation
 * (averagedProbability over `at`), so that no rounding of the summed-area table can differ.
 * `logit`: as changeProbability's.
 */
export function seedDecisions(
  learned: LearnedClassifier,
  planes: Float32Array[],
  valid: Uint8Array,
  width: number,
  height: number,
  seeds: Uint8Array,
  at: Uint8Array,
  logit: LogitFunction = logitFunction(learned),
): Uint8Array {
  const n = width * height;
  const r = learned.smoothRadius;
  const cut = learned.cut;
  const mag = planes[magnitudeOf(learned)];
  const floor = learned.magnitudeFloor;
  // Pixels whose probability can be non-zero (changeProbability's test).
  const live = (i: number): boolean => valid[i] === 1 && at[i] === 1 && mag[i] >= floor;
  const p = new Float32Array(n);
  const known = new Uint8Array(n);
  const box = new Int32Array(4);
  const list = new Int32Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) if (seeds[i] && live(i)) list[count++] = i;
  probabilitiesAt(logit, planes, list, count, p, known);
  const change = new Uint8Array(n);
  // Seeds left undecided, then the pixels of their boxes still to be walked.
  const open: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!seeds[i] || !live(i)) continue;
    boxAround(i, width, height, r, box);
    const y0 = box[0];
    const y1 = box[1];
    const x0 = box[2];
    const x1 = box[3];
    const area = (y1 - y0) * (x1 - x0);
    let sum = 0;
    let unknown = 0;
    for (let yy = y0; yy < y1; yy++)
      for (let j = yy * width + x0, end = yy * width + x1; j < end; j++) {
        if (known[j]) sum += p[j];
        else if (live(j)) unknown++;
      }
    if (sum / area > cut + TIE) change[i] = 1;
    else if ((sum + unknown) / area >= cut - TIE) open.push(i);
  }
  if (open.length === 0) return change;
  count = 0;
  for (const i of open) {
    boxAround(i, width, height, r, box);
    for (let yy = box[0]; yy < box[1]; yy++)
      for (let j = yy * width + box[2], end = yy * width + box[3]; j < end; j++) {
        if (!known[j] && live(j)) {
          list[count++] = j;
          known[j] = 1; // listed once; probabilitiesAt sets it again
        }
      }
  }
  probabilitiesAt(logit, planes, list, count, p, known);
  for (const i of open) {
    boxAround(i, width, height, r, box);
    const y0 = box[0];
    const y1 = box[1];
    const x0 = box[2];
    const x1 = box[3];
    let sum = 0;
    for (let yy = y0; yy < y1; yy++)
      for (let j = yy * width + x0, end = yy * width + x1; j < end; j++) sum += p[j];
    const mean = sum / ((y1 - y0) * (x1 - x0));
    if (Math.abs(mean - cut) <= TIE) {
      // A tie: the whole computation, whose summed-area table decides it as before.
      const whole = learnedChange(
        learned,
        planes,
        valid,
        averagedProbability(learned, planes, valid, width, height, at, logit),
      );
      for (let k = 0; k < n; k++) whole[k] &= seeds[k];
      return whole;
    }
    change[i] = mean > cut ? 1 : 0;
  }
  return change;
}

/**
 * The window's pixels learnedChange calls change; with `seeds` (cascadeSeeds), only among
 * them, the features computed only within the averaging box of one (and the trees only where
 * a seed's decision needs them: seedDecisions), so that each seed's decision is the one the
 * whole window would give.
 */
function learnedMarks(
  model: ChangeModel,
  learned: LearnedClassifier,
  before: Float32Array[],
  after: Float32Array[],
  valid: Uint8Array,
  width: number,
  height: number,
  seeds?: Uint8Array,
): Uint8Array {
  const at = seeds && dilate(seeds, width, height, learned.smoothRadius);
  const stats = model.learnedStats!;
  const planes = featurePlanes(model, stats, before, after, width, height, spare, at);
  // Nothing returned refers to the planes: the next window fills them again.
  spare = planes;
  const logit = inferenceLogit(learned);
  if (seeds && at) return seedDecisions(learned, planes, valid, width, height, seeds, at, logit);
  const p = averagedProbability(learned, planes, valid, width, height, undefined, logit);
  return learnedChange(learned, planes, valid, p);
}

/**
 * Classify the pixels of `inner` of one `width`×`height` window (the rest is margin that
 * only gives them context, see learnedHalo) into `sink`: a pixel learnedChange calls change
 * then meets the farmland rules of the rule-based path (candidateClass: greening is not
 * hunted; a dense crop turned soil-like is marked seasonal, decided per object by detect.ts)
 * and is classed built or bare by its after-date spectrum. The score is the CVA's z·10, as
 * in classify.ts, so a polygon's score means the same with either classifier.
 */
export function classifyLearned(
  model: ChangeModel,
  learned: LearnedClassifier,
  before: Float32Array[],
  after: Float32Array[],
  valid: Uint8Array,
  width: number,
  height: number,
  inner: InnerRect,
  sink: WindowSink,
): WindowCounts {
  if (!model.learnedStats)
    throw new Error('classifyLearned: the model carries no scene statistics');
  const nb = model.roles.length;
  const inv = model.sigma.map((s) => 1 / (s * s * nb));
  const z2 = cvaZ2(model.gain, model.offset, inv, before, after, nb, width * height);
  // With a cascade, only the pixels it passes can be change (a window where it passes none
  // skips the features and trees altogether).
  const seeds = cascadeSeeds(learned, model, before, after, valid, z2, width, height, inner);
  const change =
    seeds && !seeds.includes(1)
      ? seeds
      : learnedMarks(model, learned, before, after, valid, width, height, seeds);
  const { blue, red } = model.masks;
  // The vegetation index's upper band, as candidateClass reads it: NIR, or green without it.
  const veg = model.masks.nir >= 0 ? model.masks.nir : model.masks.green;
  const { cls, score, stride } = sink;
  let invalid = 0;
  let seasonal = 0;
  let greening = 0;
  for (let y = 0; y < inner.height; y++)
    for (let x = 0; x < inner.width; x++) {
      const i = (y + inner.y) * width + x + inner.x;
      const o = sink.at + y * stride + x;
      if (!valid[i]) {
        invalid++;
        continue;
      }
      if (!change[i]) continue;
      const c = candidateClass(
        model,
        after[red][i],
        after[blue][i],
        after[veg][i],
        before[red][i],
        before[veg][i],
      );
      if (c === GREENING) {
        greening++;
        continue;
      }
      if (c === SEASONAL) seasonal++;
      cls[o] = c;
      const z10 = Math.sqrt(z2[i]) * 10;
      score[o] = z10 > 255 ? 255 : z10;
    }
  return { invalid, seasonal, greening };
}
