import { usable, validityTest } from './masks.ts';
import { SEASONAL } from './model.ts';
import type { DetectConfig } from './profiles.ts';
import type { PairBlocks } from './pair-reader.ts';
import type { WindowSink } from './target.ts';
import { candidateClass, GREENING } from './pixel-rules.ts';
import type { WindowCounts, ChangeModel } from './types.ts';

/**
 * Whether windows can be classified straight from interleaved blocks: CVA on exactly blue,
 * green, red and NIR, no quality band, no learned classifier — the Sentinel-2 four-band stack
 * that make_scene and GDAL write. Decided before the model is fitted (workers read ahead).
 */
export function interleavedApplies(
  roles: readonly string[],
  withQuality: boolean,
  config: DetectConfig,
): boolean {
  return (
    roles.join() === 'blue,green,red,nir' &&
    !withQuality &&
    config.magnitude === 'cva' &&
    !config.learned
  );
}

/**
 * classifyWindow for one tile of a pixel-interleaved 4-band UInt16 pair, reading the decoded
 * blocks directly: the same validity tests (masks.ts `usable`), CVA z² and candidate rules
 * (classify.ts `candidateClass`), in one pass per pixel. Converting the blocks to four Float32
 * bands per date and passing over them band by band cost about as much as inflating them;
 * this path does none of it. Classes and scores go into `sink` (targetSink: the scene's
 * rasters themselves), only where a pixel is a candidate. The tests check it gives
 * classifyWindow's results exactly.
 */
export function classifyInterleaved(
  model: ChangeModel,
  blocks: PairBlocks,
  width: number,
  height: number,
  sink: WindowSink,
): WindowCounts {
  const { gain, offset, sigma, threshold, config } = model;
  const { cls, score, at, stride: out } = sink;
  const tb = validityTest(model.nodataBefore, model.radiometry?.before ?? null, true);
  const ta = validityTest(model.nodataAfter, model.radiometry?.after ?? null, true);
  const { before: B, after: A, stride } = blocks;
  // Sample index of blue, green, red, NIR within a pixel, per date.
  const [b0, b1, b2, b3] = blocks.beforeOrder;
  const [a0, a1, a2, a3] = blocks.afterOrder;
  const [g0, g1, g2, g3] = gain;
  const [c0, c1, c2, c3] = offset;
  const [w0, w1, w2, w3] = sigma.map((s) => 1 / (s * s * 4));
  const low = threshold * config.hysteresis;
  const t2 = low * low;
  let invalid = 0;
  let seasonal = 0;
  let greening = 0;
  // TIFF's horizontal predictor undone on the way: each sample is the running sum of its
  // row's differences modulo 2^16 (keep 0xffff), or its stored value (keep 0). This costs
  // less than undoing it over the whole block first: one pass over the block instead of two.
  const kb = blocks.beforeDifferenced ? 0xffff : 0;
  const ka = blocks.afterDifferenced ? 0xffff : 0;
  for (let y = 0; y < height; y++) {
    let bb = 0,
      bg = 0,
      br = 0,
      bn = 0;
    let ab = 0,
      ag = 0,
      ar = 0,
      an = 0;
    for (let x = 0, o = at + y * out, j = y * stride * 4; x < width; x++, o++, j += 4) {
      bb = ((bb & kb) + B[j + b0]) & 0xffff;
      bg = ((bg & kb) + B[j + b1]) & 0xffff;
      br = ((br & kb) + B[j + b2]) & 0xffff;
      bn = ((bn & kb) + B[j + b3]) & 0xffff;
      ab = ((ab & ka) + A[j + a0]) & 0xffff;
      ag = ((ag & ka) + A[j + a1]) & 0xffff;
      ar = ((ar & ka) + A[j + a2]) & 0xffff;
      an = ((an & ka) + A[j + a3]) & 0xffff;
      if (!usable(tb, bb, bg, br, bn) || !usable(ta, ab, ag, ar, an)) {
        invalid++;
        continue;
      }
      // Accumulated in band order as cvaZ2 does, so that z² is bit for bit the same.
      let z2 = 0;
      let d = g0 * ab + c0 - bb;
      z2 += d * d * w0;
      d = g1 * ag + c1 - bg;
      z2 += d * d * w1;
      d = g2 * ar + c2 - br;
      z2 += d * d * w2;
      d = g3 * an + c3 - bn;
      z2 += d * d * w3;
      if (z2 <= t2) continue;
      const z10 = Math.sqrt(z2) * 10;
      score[o] = z10 > 255 ? 255 : z10;
      const c = candidateClass(model, ar, ab, an, br, bn);
      if (c === GREENING) greening++;
      else {
        cls[o] = c;
        if (c === SEASONAL) seasonal++;
      }
    }
  }
  return { invalid, seasonal, greening };
}
