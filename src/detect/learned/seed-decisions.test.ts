import { describe, expect, it } from 'vitest';
import { dilate } from '../../raster/morphology.ts';
import { syntheticPair } from '../../raster/test-fixtures.ts';
import type { ChangeModel } from '../types.ts';
import { cascadeSeeds } from './cascade.ts';
import { averagedProbability, learnedChange, seedDecisions } from './classify-learned.ts';
import type { LearnedClassifier } from './classifier.ts';
import { featurePlanes } from './features.ts';
import shipped from './s2-model.json' with { type: 'json' };
import { s2PairModel } from './test-fixtures.ts';

/**
 * seedDecisions walks the trees only where a seed's decision needs them; its decisions must be
 * those of the probability averaged over every pixel of the seeds' boxes (the computation it
 * replaced: averagedProbability over `at`, learnedChange, the seeds kept), bit for bit.
 */
const S = 160;
const learned = shipped as unknown as LearnedClassifier;

/** Both computations on pair `seed` with the classifier `c`; returns [old, new, seeds]. */
function both(seed: number, c: LearnedClassifier): [Uint8Array, Uint8Array, Uint8Array] {
  const pair = syntheticPair(S, seed);
  const n = S * S;
  const before = pair.before.map((b) => Float32Array.from(b));
  const after = pair.after.map((b) => Float32Array.from(b));
  const m: ChangeModel = s2PairModel(c, before, after);
  const valid = new Uint8Array(n).fill(1);
  // Some invalid pixels, as clouds or nodata leave them.
  for (let i = 0; i < n; i += 53) valid[i] = 0;
  const z2 = new Float64Array(n);
  for (let b = 0; b < 4; b++)
    for (let i = 0; i < n; i++) {
      const d = m.gain[b] * after[b][i] + m.offset[b] - before[b][i];
      z2[i] += (d * d) / (m.sigma[b] * m.sigma[b] * 4);
    }
  // Seeds over the whole window but a margin, as a window with its halo has them.
  const inner = { x: 7, y: 5, width: S - 14, height: S - 12 };
  const seeds = cascadeSeeds(c, m, before, after, valid, z2, S, S, inner)!;
  const at = dilate(seeds, S, S, c.smoothRadius);
  const planes = featurePlanes(m, m.learnedStats!, before, after, S, S, [], at);
  const old = learnedChange(c, planes, valid, averagedProbability(c, planes, valid, S, S, at));
  for (let i = 0; i < n; i++) old[i] &= seeds[i];
  return [old, seedDecisions(c, planes, valid, S, S, seeds, at), seeds];
}

const count = (a: Uint8Array): number => a.reduce((s, v) => s + v, 0);

describe('seedDecisions (the trees walked only where a decision needs them)', () => {
  it('decides every seed as the averaged probability over all its box does', () => {
    for (const seed of [1, 5])
      for (const cut of [0.05, 0.2, 0.8])
        for (const cascade of [0, 0.25]) {
          const [old, fresh, seeds] = both(seed, { ...learned, cut, cascade });
          expect(count(seeds)).toBeGreaterThan(0);
          expect(fresh).toEqual(old);
        }
  });

  it('marks change on the generated pairs (the comparison is not between empty masks)', () => {
    const [old] = both(5, { ...learned, cascade: 0.25 });
    expect(count(old)).toBeGreaterThan(100);
  });

  it('falls back to the summed-area table when a box mean lies at the cut', () => {
    // A cut equal to one seed's own box mean: a tie, which only the whole computation decides.
    const c = { ...learned, cascade: 0.25 };
    const pair = syntheticPair(S, 5);
    const before = pair.before.map((b) => Float32Array.from(b));
    const after = pair.after.map((b) => Float32Array.from(b));
    const m = s2PairModel(c, before, after);
    const n = S * S;
    const valid = new Uint8Array(n).fill(1);
    const z2 = new Float64Array(n).fill(1e6);
    const whole = { x: 0, y: 0, width: S, height: S };
    const seeds = cascadeSeeds(c, m, before, after, valid, z2, S, S, whole)!;
    const at = dilate(seeds, S, S, c.smoothRadius);
    const planes = featurePlanes(m, m.learnedStats!, before, after, S, S, [], at);
    const p = averagedProbability(c, planes, valid, S, S, at);
    const i = seeds.findIndex((v, k) => v === 1 && p[k] > 0.3 && p[k] < 0.7);
    expect(i).toBeGreaterThanOrEqual(0);
    const tied = { ...c, cut: p[i] };
    const old = learnedChange(tied, planes, valid, p);
    for (let k = 0; k < n; k++) old[k] &= seeds[k];
    expect(old[i]).toBe(0);
    expect(seedDecisions(tied, planes, valid, S, S, seeds, at)).toEqual(old);
  });
});
