import { describe, expect, it } from 'vitest';
import { syntheticPair } from '../../raster/test-fixtures.ts';
import type { LearnedClassifier } from './classifier.ts';
import { inferenceLogit, logitFunction, treeExit } from './compiled-trees.ts';
import { featurePlanes } from './features.ts';
import shipped from './s2-model.json' with { type: 'json' };
import { s2PairModel } from './test-fixtures.ts';

const learned = shipped as unknown as LearnedClassifier;

/** The running sum of the first `k` trees, walked from the model file's arrays. */
function partial(x: Float32Array, k: number): number {
  let s = learned.base;
  for (const t of learned.trees.slice(0, k)) {
    let node = 0;
    while (t.feature[node] >= 0)
      node = x[t.feature[node]] <= t.threshold[node] ? t.left[node] : t.right[node];
    s += t.value[node];
  }
  return s;
}

describe('the trees’ early exit (an approximation: compiled-trees.ts treeExit)', () => {
  it('gives −∞ exactly where the first trees sum under the bar, and the exact logit elsewhere', () => {
    const S = 120;
    const pair = syntheticPair(S, 5);
    const before = pair.before.map((b) => Float32Array.from(b));
    const after = pair.after.map((b) => Float32Array.from(b));
    const m = s2PairModel(learned, before, after);
    const planes = featurePlanes(m, m.learnedStats!, before, after, S, S);
    const rule = treeExit.rule!;
    expect(rule.trees).toBeGreaterThan(0);
    const exact = logitFunction(learned);
    const exiting = inferenceLogit(learned);
    const x = new Float32Array(planes.length);
    let exits = 0;
    for (let i = 0; i < S * S; i += 7) {
      for (let f = 0; f < planes.length; f++) x[f] = planes[f][i];
      const e = exiting(x);
      if (partial(x, rule.trees) < rule.below) {
        expect(e).toBe(-Infinity);
        exits++;
      } else expect(e).toBe(exact(x));
    }
    // Both kinds of pixel were met.
    expect(exits).toBeGreaterThan(100);
    expect(exits).toBeLessThan((S * S) / 7);
  });

  it('is off with no rule: every tree for every pixel', () => {
    const kept = treeExit.rule;
    try {
      treeExit.rule = null;
      expect(inferenceLogit(learned)).toBe(logitFunction(learned));
    } finally {
      treeExit.rule = kept;
    }
  });
});
