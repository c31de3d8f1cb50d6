import { describe, expect, it } from 'vitest';
import { dilate } from '../../raster/morphology.ts';
import { syntheticPair } from '../../raster/test-fixtures.ts';
import type { LearnedClassifier } from './classifier.ts';
import { featurePlanes } from './features.ts';
import shipped from './s2-model.json' with { type: 'json' };
import { s2PairModel } from './test-fixtures.ts';

/**
 * Speed work on featurePlanes must leave every value as it was: the features below are
 * checked bit for bit against the code they replaced, kept here as the reference.
 */

/** magnitude_minshift as computed before (nine passes over the window, one per shift). */
function minShiftReference(
  bs: Float32Array[],
  as: Float32Array[],
  w: number,
  h: number,
  region?: Uint8Array,
): Float32Array {
  const out = new Float32Array(w * h).fill(Infinity);
  const [B0, B1, B2, B3] = bs;
  const [A0, A1, A2, A3] = as;
  for (let dy = -1; dy <= 1; dy++)
    for (let dx = -1; dx <= 1; dx++)
      for (let y = 0; y < h; y++) {
        const ys = Math.min(h - 1, Math.max(0, y + dy)) * w;
        for (let x = 0; x < w; x++) {
          const i = y * w + x;
          if (region && !region[i]) continue;
          const j = ys + (x + dx < 0 ? 0 : x + dx >= w ? w - 1 : x + dx);
          let d = A0[j] - B0[i];
          let s = 0;
          s += d * d;
          d = A1[j] - B1[i];
          s += d * d;
          d = A2[j] - B2[i];
          s += d * d;
          d = A3[j] - B3[i];
          s += d * d;
          if (s < out[i]) out[i] = s;
        }
      }
  for (let i = 0; i < out.length; i++) out[i] = region && !region[i] ? 0 : Math.sqrt(out[i]);
  return out;
}

const learned = shipped as unknown as LearnedClassifier;
const names = learned.features;
/** The bytes of a plane: equal bytes are equal values, NaN, −0 and all. */
const bytes = (a: Float32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const plane = (planes: Float32Array[], name: string): Float32Array => planes[names.indexOf(name)];

describe('featurePlanes, made faster, computes the same values', () => {
  const [W, H] = [150, 97];
  const pair = syntheticPair(160, 7);
  // A window that is not square, cut from the pair.
  const cut = (bands: Uint16Array[]) =>
    bands.map((b) => {
      const out = new Float32Array(W * H);
      for (let y = 0; y < H; y++)
        for (let x = 0; x < W; x++) out[y * W + x] = b[(y + 3) * 160 + x + 5];
      return out;
    });
  const before = cut(pair.before);
  const after = cut(pair.after);
  const m = s2PairModel(learned, before, after);
  const at = new Uint8Array(W * H);
  for (let i = 0; i < at.length; i += 41) at[i] = 1;
  at.fill(1, 40 * W + 10, 40 * W + 60);

  for (const [label, mask] of [
    ['every pixel', undefined],
    ['the pixels of `at`', at],
  ] as const)
    it(`magnitude_minshift, ${label}`, () => {
      const planes = featurePlanes(m, m.learnedStats!, before, after, W, H, [], mask);
      const bs = ['blue', 'green', 'red', 'nir'].map((b) => plane(planes, `before_${b}`));
      const as = ['blue', 'green', 'red', 'nir'].map((b) => plane(planes, `after_${b}`));
      const region = mask && dilate(mask, W, H, 3);
      const want = minShiftReference(bs, as, W, H, region);
      expect(bytes(plane(planes, 'magnitude_minshift'))).toEqual(bytes(want));
    });
});
