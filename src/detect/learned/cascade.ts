import { boxMean } from '../../raster/box.ts';
import type { ChangeModel } from '../types.ts';
import type { LearnedClassifier } from './classifier.ts';
import { magnitudePlane } from './features.ts';

/** The part of a window whose classes are wanted (window pixel coordinates). */
export interface InnerRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The learned classifier's cascade: tests far cheaper than its 42 features and 150 trees
 * that decide most pixels of a scene (unchanged ground) before they reach them. Only the
 * pixels of the window's inner part that pass can be change, and each gets the decision the
 * whole window would give it (classify-learned.ts computes the features and trees within its
 * averaging box). Two tests:
 *
 * - exact: the classifier calls a pixel change when its own magnitude reaches the floor and
 *   the probability averaged over its box passes the cut; pixels under the floor add 0 to
 *   that average and no probability exceeds 1, so a box with no more than cut × its area of
 *   pixels over the floor cannot pass. This drops the scattered noise pixels just over the
 *   floor, which are most of those over it on unchanged ground, and loses nothing;
 * - generous: the pixel's CVA z² (the rules' change statistic, pixel-rules.ts cvaZ2, computed
 *   for the polygons' scores anyway) reaches `learned.cascade` times the scene's rule
 *   threshold, a bar well under the rules' own, since the trees find change the rules miss.
 *   This one can drop change the trees would have found (measured on OSCD: src/detect/README.md).
 *
 * Without `cascade` on the classifier, undefined: every pixel goes to the trees.
 */
export function cascadeSeeds(
  learned: Pick<LearnedClassifier, 'cascade' | 'magnitudeFloor' | 'cut' | 'smoothRadius'>,
  model: Pick<ChangeModel, 'threshold' | 'masks' | 'learnedStats'>,
  before: Float32Array[],
  after: Float32Array[],
  valid: Uint8Array,
  z2: Float64Array,
  width: number,
  height: number,
  inner: InnerRect,
): Uint8Array | undefined {
  if (learned.cascade === undefined) return undefined;
  const n = width * height;
  if (magnitudes.length < n) magnitudes = new Float32Array(n);
  const mag = magnitudePlane(model, model.learnedStats!, before, after, n, magnitudes);
  const over = new Uint8Array(n);
  for (let i = 0; i < n; i++) over[i] = valid[i] && mag[i] >= learned.magnitudeFloor ? 1 : 0;
  const share = boxMean(over, width, height, learned.smoothRadius);
  // The share and the averaged probability are float32 box means: a hair of slack keeps a
  // box exactly at the cut, whose rounding could go either way, with the trees.
  const most = learned.cut - 1e-6;
  const bar = learned.cascade * model.threshold;
  const seeds = new Uint8Array(n);
  for (let y = inner.y; y < inner.y + inner.height; y++)
    for (let i = y * width + inner.x, end = i + inner.width; i < end; i++)
      seeds[i] = over[i] && share[i] > most && z2[i] >= bar ? 1 : 0;
  return seeds;
}

/** The window's magnitudes, filled again by the next (each worker thread has its own). */
let magnitudes = new Float32Array(0);
