import type { ChangeModel } from '../model.ts';
import type { WindowResult } from '../classify.ts';
import { FEATURE_NAMES, NF, windowFeatures } from './features.ts';
import type { Gbdt } from './gbdt.ts';

/**
 * A trained change classifier as stored in s2-model.json (written by `npm run train:detect`).
 * It decides which candidate pixels (z > `zMin`) changed; what survives is then cleaned by
 * detect.ts exactly like the rule-based classes (hysteresis, closing, minimum mapping unit).
 */
export interface LearnedClassifier extends Gbdt {
  kind: 'gbdt';
  /** FEATURE_NAMES at training time: a model trained on other features is refused. */
  features: string[];
  /** Candidate bar on the change magnitude z (noise standard deviations). */
  zMin: number;
  /** Decision cut-off on the log-odds of change. */
  cut: number;
  /** How it was trained (cities, options): provenance, not used at run time. */
  trainedOn: string[];
  options: Record<string, number>;
}

/** The trees of a classifier packed into typed arrays, pre-order, left child at k+1. */
interface Packed {
  root: Int32Array;
  feature: Int8Array;
  /** Threshold at inner nodes, leaf value at leaves. */
  value: Float32Array;
  right: Int32Array;
  /** Sums of the largest and of the smallest leaf of trees t… (early exit bounds). */
  hiRest: Float64Array;
  loRest: Float64Array;
}

const packedCache = new WeakMap<LearnedClassifier, Packed>();

function pack(c: LearnedClassifier): Packed {
  const hit = packedCache.get(c);
  if (hit) return hit;
  if (c.features.join() !== FEATURE_NAMES.join())
    throw new Error(`learned model features (${c.features.join()}) differ from this build's`);
  const feature: number[] = [];
  const value: number[] = [];
  const right: number[] = [];
  const root: number[] = [];
  for (const t of c.trees) {
    root.push(feature.length);
    const visit = (k: number): void => {
      const at = feature.length;
      feature.push(t.feature[k]);
      value.push(t.feature[k] < 0 ? t.value[k] : t.threshold[k]);
      right.push(-1);
      if (t.feature[k] < 0) return;
      visit(t.left[k]);
      right[at] = feature.length;
      visit(t.right[k]);
    };
    visit(0);
  }
  const nt = c.trees.length;
  const hiRest = new Float64Array(nt + 1);
  const loRest = new Float64Array(nt + 1);
  for (let t = nt - 1; t >= 0; t--) {
    const leaves = c.trees[t].value.filter((_, k) => c.trees[t].feature[k] < 0);
    hiRest[t] = hiRest[t + 1] + Math.fround(Math.max(...leaves));
    loRest[t] = loRest[t + 1] + Math.fround(Math.min(...leaves));
  }
  const p: Packed = {
    root: Int32Array.from(root),
    feature: Int8Array.from(feature),
    value: Float32Array.from(value),
    right: Int32Array.from(right),
    hiRest,
    loRest,
  };
  packedCache.set(c, p);
  return p;
}

/**
 * Classify one window: valid pixels with z > zMin first meet the farmland rules of the
 * rule-based path (greening rejected; a dense crop turned soil-like marked seasonal, which
 * detect.ts decides per object), and the model decides the rest: a candidate whose log-odds
 * of change pass the cut is classed built (flat grey after-date visible spectrum, blue/red ≥
 * `builtBlueRed`) or bare. The score raster is z·10 as in classify.ts.
 */
export function classifyLearned(
  model: ChangeModel,
  learned: LearnedClassifier,
  before: Float32Array[],
  after: Float32Array[],
  valid: Uint8Array,
  width: number,
  height: number,
): WindowResult {
  const p = pack(learned);
  const f = windowFeatures(model, before, after, valid, width, height, learned.zMin);
  const { cls } = f;
  const { root, feature, value, right, hiRest, loRest } = p;
  const cut = learned.cut;
  const { x, index } = f;
  const nt = root.length;
  for (let m = 0; m < index.length; m++) {
    const o = m * NF;
    let s = learned.base;
    let t = 0;
    // Stop as soon as the remaining trees can no longer move the sum across the cut: same
    // decision, and most candidates are clear-cut after a few trees.
    for (; t < nt; t++) {
      if (s + hiRest[t] <= cut || s + loRest[t] > cut) break;
      let k = root[t];
      let fk = feature[k];
      while (fk >= 0) {
        k = x[o + fk] <= value[k] ? k + 1 : right[k];
        fk = feature[k];
      }
      s += value[k];
    }
    if (t < nt ? s + hiRest[t] <= cut : s <= cut) continue;
    cls[index[m]] = f.kind[m];
  }
  return { cls, score: f.score, invalid: f.invalid, seasonal: f.seasonal, greening: f.greening };
}
