import { describe, expect, it } from 'vitest';
import { syntheticPair } from '../../raster/test-fixtures.ts';
import { classifyWindow } from '../classify.ts';
import type { ChangeModel } from '../types.ts';
import { cascadeSeeds } from './cascade.ts';
import { averagedProbability } from './classify-learned.ts';
import type { LearnedClassifier } from './classifier.ts';
import { featurePlanes, magnitudePlane, sceneStats } from './features.ts';
import shipped from './s2-model.json' with { type: 'json' };
import { s2PairModel } from './test-fixtures.ts';
import { dilate } from '../../raster/morphology.ts';

const S = 160;
const pair = syntheticPair(S, 5);
const n = S * S;
const before = pair.before.map((b) => Float32Array.from(b));
const after = pair.after.map((b) => Float32Array.from(b));
/** The shipped model without its cascade. */
const base: LearnedClassifier = {
  ...(shipped as unknown as LearnedClassifier),
  cascade: undefined,
};
const valid = new Uint8Array(n).fill(1);
const whole = { x: 0, y: 0, width: S, height: S };

const model = (learned: LearnedClassifier | null): ChangeModel =>
  s2PairModel(learned, before, after);

/** CVA z² of every pixel, as classify-learned.ts computes it. */
function z2Of(m: ChangeModel): Float64Array {
  const z2 = new Float64Array(n);
  for (let b = 0; b < 4; b++)
    for (let i = 0; i < n; i++) {
      const d = m.gain[b] * after[b][i] + m.offset[b] - before[b][i];
      z2[i] += (d * d) / (m.sigma[b] * m.sigma[b] * 4);
    }
  return z2;
}

const count = (a: ArrayLike<number>): number => Array.from(a).filter(Boolean).length;

describe('the learned classifier’s cascade', () => {
  const m = model(base);
  const dense = featurePlanes(m, m.learnedStats!, before, after, S, S);

  it('computes the magnitude alone to the same float32 values as the features', () => {
    const mag = magnitudePlane(m, m.learnedStats!, before, after, n, new Float32Array(n));
    expect(mag).toEqual(dense[base.features.indexOf('magnitude')]);
  });

  it('gives the pixels it wants the features of the whole window', () => {
    const at = new Uint8Array(n);
    // A scattered few: a block of change, single pixels, a window edge.
    for (let i = 0; i < n; i += 37) at[i] = 1;
    const sparse = featurePlanes(m, m.learnedStats!, before, after, S, S, [], at);
    let exact = 0;
    let worst = 0;
    for (let f = 0; f < dense.length; f++)
      for (let i = 0; i < n; i++) {
        if (!at[i]) continue;
        const [d, s] = [dense[f][i], sparse[f][i]];
        if (d === s) exact++;
        worst = Math.max(worst, Math.abs(d - s) / Math.max(1, Math.abs(d)));
      }
    // Box means over other summed-area tables may round one float32 step apart, no more.
    expect(worst).toBeLessThan(1e-6);
    expect(exact / (count(at) * dense.length)).toBeGreaterThan(0.99);
  });

  it('gives every pixel it passes the probability it had without it', () => {
    const learned = { ...base, cascade: 0.5 };
    const z2 = z2Of(m);
    const seeds = cascadeSeeds(learned, m, before, after, valid, z2, S, S, whole)!;
    expect(count(seeds)).toBeGreaterThan(100);
    expect(count(seeds)).toBeLessThan(n / 4);
    const at = dilate(seeds, S, S, base.smoothRadius);
    const sparse = featurePlanes(m, m.learnedStats!, before, after, S, S, [], at);
    const pDense = averagedProbability(base, dense, valid, S, S);
    const pSparse = averagedProbability(base, sparse, valid, S, S, at);
    let worst = 0;
    for (let i = 0; i < n; i++)
      if (seeds[i]) worst = Math.max(worst, Math.abs(pDense[i] - pSparse[i]));
    expect(worst).toBeLessThan(1e-6);
  });

  it('changes no decision by its exact test, and by its bar only drops pixels', () => {
    const plain = classifyWindow(model(base), before, after, n, S).cls;
    expect(count(plain)).toBeGreaterThan(100);
    // With a bar of 0 only the exact test acts: pixels whose box cannot pass the cut.
    expect(classifyWindow(model({ ...base, cascade: 0 }), before, after, n, S).cls).toEqual(plain);
    const z2 = z2Of(m);
    for (const cascade of [0.5, 2]) {
      const cls = classifyWindow(model({ ...base, cascade }), before, after, n, S).cls;
      const seeds = cascadeSeeds({ ...base, cascade }, m, before, after, valid, z2, S, S, whole)!;
      let differ = 0;
      for (let i = 0; i < n; i++) if (cls[i] !== (seeds[i] ? plain[i] : 0)) differ++;
      expect(differ).toBe(0);
    }
    // A bar far over the rules' own drops real change.
    const high = classifyWindow(model({ ...base, cascade: 1000 }), before, after, n, S).cls;
    expect(count(high)).toBeLessThan(count(plain));
  });

  it('passes no isolated pixel over the floor: its box cannot reach the cut', () => {
    const w = 9;
    const b = [400, 700, 500, 3500].map((v) => new Float32Array(w * w).fill(v));
    const a = b.map((x) => x.slice());
    for (let k = 0; k < 4; k++) a[k][4 * w + 4] = [1400, 1500, 1600, 1900][k];
    const mm = { ...m, learnedStats: sceneStats(m, { before: b, after: a }) };
    const z2 = new Float64Array(w * w).fill(1e6);
    const v = new Uint8Array(w * w).fill(1);
    const inner = { x: 0, y: 0, width: w, height: w };
    const learned = { ...base, cascade: 0 };
    expect(count(cascadeSeeds(learned, mm, b, a, v, z2, w, w, inner)!)).toBe(0);
    // A 3×3 block over the floor: 9 of 25 > the cut (0.2), passed.
    for (let y = 3; y <= 5; y++)
      for (let x = 3; x <= 5; x++)
        for (let k = 0; k < 4; k++) a[k][y * w + x] = [1400, 1500, 1600, 1900][k];
    expect(cascadeSeeds(learned, mm, b, a, v, z2, w, w, inner)![4 * w + 4]).toBe(1);
    // The shipped s2 model carries one; without it, none.
    expect((shipped as unknown as LearnedClassifier).cascade).toBeGreaterThan(0);
    expect(cascadeSeeds(base, mm, b, a, v, z2, w, w, inner)).toBeUndefined();
  });
});
