import { FEATURE_NAMES, RGB_FEATURE_NAMES } from './features.ts';
import type { LearnedClassifier } from './classifier.ts';

/**
 * The trees of a learned classifier turned into JavaScript for inference: each tree becomes
 * nested conditionals with its thresholds and leaf values as literals, so that a pixel's walk
 * is a chain of compare-and-branch instead of reading feature index, threshold and child from
 * arrays at every node. On OSCD feature vectors this halved the time per pixel against the
 * array walk (bench in the commit), with the same sums bit for bit: the same comparisons on
 * the same float32 thresholds, leaf values added tree by tree in the same order.
 *
 * Safe to build with `new Function`: the code holds only numbers taken from typed arrays
 * (feature indices from an Int8Array, thresholds and leaf values from a Float32Array), never
 * text from the model file.
 */

/** Log-odds of change of one feature vector (in the classifier's `features` order). */
export type LogitFunction = (x: Float32Array) => number;

/** The trees packed pre-order into typed arrays, left child at k+1. */
interface Packed {
  root: Int32Array;
  feature: Int8Array;
  /** Threshold at inner nodes, leaf value at leaves. */
  value: Float32Array;
  right: Int32Array;
}

/**
 * Nodes per generated function. V8 optimises a function only up to a bytecode size; trees of
 * depth 6 put 25 per function ran 2.2× faster than the array walk, 50 per function ran 3×
 * slower than it (left unoptimised).
 */
const NODES_PER_FUNCTION = 3000;

/**
 * Early exit, an approximation: a pixel whose running sum after the first `trees` trees is
 * under `below` gets the logit −∞ (probability 0) without the rest. On the synthetic scenes
 * most pixels the trees see end far below 0 (logit ≈ −8, probability ≈ 3·10⁻⁴) and are
 * already under −5 after 30 trees; their probabilities are 0 in a box mean of 25 instead of
 * a few ten-thousandths. What it costs in OSCD F1 is measured in src/detect/README.md.
 */
export interface TreeExit {
  trees: number;
  below: number;
}

/**
 * The exit detection applies (inferenceLogit); null: every tree for every pixel. A setting,
 * not a constant, so that scripts/eval-cascade.ts `--exact-trees` can measure without it.
 */
export const treeExit: { rule: TreeExit | null } = { rule: { trees: 30, below: -5 } };

/** The generated parts of each classifier (trees in order) and where the exit checks. */
interface Compiled {
  parts: Array<(x: Float32Array, s: number) => number>;
  /** Parts before the exit's check (the first `trees` trees), 0 for none. */
  head: number;
  exact: LogitFunction;
  /** With the exit of `head` parts, by bar. */
  exiting: Map<number, LogitFunction>;
}

const cache = new WeakMap<LearnedClassifier, Map<number, Compiled>>();

/** The classifier's logit as generated code (built once per classifier and thread). */
export function logitFunction(c: LearnedClassifier): LogitFunction {
  return compiled(c, 0).exact;
}

/**
 * The logit detection uses: logitFunction with the early exit of `treeExit.rule` (for `-∞`
 * the probability is 0), or logitFunction itself without one.
 */
export function inferenceLogit(c: LearnedClassifier): LogitFunction {
  const rule = treeExit.rule;
  if (!rule || rule.trees <= 0 || rule.trees >= c.trees.length) return logitFunction(c);
  const k = compiled(c, rule.trees);
  let f = k.exiting.get(rule.below);
  if (!f) {
    const { parts, head } = k;
    const below = rule.below;
    const base = c.base;
    f = (x) => {
      let s = base;
      for (let i = 0; i < head; i++) s = parts[i](x, s);
      if (s < below) return -Infinity;
      for (let i = head; i < parts.length; i++) s = parts[i](x, s);
      return s;
    };
    k.exiting.set(below, f);
  }
  return f;
}

/** The generated code of `c`, its parts split after tree `split` too (0: no split). */
function compiled(c: LearnedClassifier, split: number): Compiled {
  let byCut = cache.get(c);
  if (!byCut) cache.set(c, (byCut = new Map()));
  const hit = byCut.get(split);
  if (hit) return hit;
  const known = [FEATURE_NAMES, RGB_FEATURE_NAMES].some((f) => f.join() === c.features.join());
  if (c.kind !== 'gbdt-pixel' || !known)
    throw new Error(
      'the learned model was trained on other features than this build computes; run npm run train:detect',
    );
  const p = pack(c);
  const node = (k: number): string =>
    p.feature[k] < 0
      ? String(p.value[k])
      : `(x[${p.feature[k]}] <= ${p.value[k]} ? ${node(k + 1)} : ${node(p.right[k])})`;
  // Each part adds its trees to the running sum in tree order.
  const parts: Array<(x: Float32Array, s: number) => number> = [];
  let body = '';
  let nodes = 0;
  const flush = (): void => {
    parts.push(
      new Function('x', 's', `${body}return s;`) as (x: Float32Array, s: number) => number,
    );
    body = '';
    nodes = 0;
  };
  let head = 0;
  for (let t = 0; t < p.root.length; t++) {
    const size = (t + 1 < p.root.length ? p.root[t + 1] : p.feature.length) - p.root[t];
    if (nodes > 0 && (nodes + size > NODES_PER_FUNCTION || t === split)) flush();
    if (t === split) head = parts.length;
    body += `s += ${node(p.root[t])};\n`;
    nodes += size;
  }
  if (nodes > 0) flush();
  const base = c.base;
  const logit: LogitFunction = (x) => {
    let s = base;
    for (let i = 0; i < parts.length; i++) s = parts[i](x, s);
    return s;
  };
  warmUp(p, logit, c.features.length);
  const made: Compiled = { parts, head, exact: logit, exiting: new Map() };
  byCut.set(split, made);
  return made;
}

/**
 * Call the generated code once with a feature vector that reaches each leaf, so that every
 * comparison has met a number before V8 optimises. Without it, a branch first taken after
 * optimisation deoptimised the whole function ("insufficient type feedback"); over a city's
 * windows that happened so often that the code ran slower than the array walk (pisa 20 s
 * against 9 s).
 */
function warmUp(p: Packed, logit: LogitFunction, nf: number): void {
  const x = new Float32Array(nf);
  const lo = new Float64Array(x.length);
  const hi = new Float64Array(x.length);
  const leaves = (k: number): void => {
    if (p.feature[k] < 0) {
      // A value inside every bound of the path: x ≤ hi (left turns), x > lo (right turns).
      for (let f = 0; f < x.length; f++)
        x[f] =
          hi[f] < Infinity ? hi[f] : lo[f] > -Infinity ? lo[f] + Math.max(1, Math.abs(lo[f])) : 0;
      logit(x);
      return;
    }
    const f = p.feature[k];
    const [l, h] = [lo[f], hi[f]];
    hi[f] = Math.min(h, p.value[k]);
    leaves(k + 1);
    hi[f] = h;
    lo[f] = Math.max(l, p.value[k]);
    leaves(p.right[k]);
    lo[f] = l;
  };
  for (let t = 0; t < p.root.length; t++) {
    lo.fill(-Infinity);
    hi.fill(Infinity);
    leaves(p.root[t]);
  }
}

function pack(c: LearnedClassifier): Packed {
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
  return {
    root: Int32Array.from(root),
    feature: Int8Array.from(feature),
    value: Float32Array.from(value),
    right: Int32Array.from(right),
  };
}
