/**
 * Gradient-boosted decision trees for binary classification: inference (tree walking on flat
 * arrays, used per candidate pixel by classify.ts) and a compact histogram trainer (used by
 * scripts/train-detect.ts).
 *
 * Why hand-written: the npm candidates do not fit. `ml-cart`/`ml-random-forest` grow CART
 * trees with exact splits over arrays of arrays (a sort per node and feature: minutes on the
 * ~10⁵–10⁶ candidate pixels we train on) and do not boost; the `decision-tree` package is a
 * little-used teaching implementation. Histogram boosting (LightGBM, Ke et al. 2017;
 * XGBoost's `hist`, Chen & Guestrin 2016) with second-order leaf values fits in a screen.
 */
import { rng } from '../../random.ts';

/** One tree in flat arrays; node 0 is the root, `feature[k] < 0` marks a leaf. */
export interface Tree {
  /** Feature index tested at node k, or −1 at a leaf. */
  feature: number[];
  /** Go left when x[feature] ≤ threshold (NaN goes right). */
  threshold: number[];
  left: number[];
  right: number[];
  /** Leaf value (log-odds contribution, learning rate included); 0 at inner nodes. */
  value: number[];
}

/** A boosted ensemble: p(change) = sigmoid(base + Σ tree(x)). */
export interface Gbdt {
  base: number;
  trees: Tree[];
}

/** Log-odds of change for one feature vector (`x[offset + f]` is feature f). */
export function predictLogit(model: Gbdt, x: ArrayLike<number>, offset = 0): number {
  let s = model.base;
  for (const t of model.trees) {
    let k = 0;
    while (t.feature[k] >= 0)
      k = x[offset + t.feature[k]] <= t.threshold[k] ? t.left[k] : t.right[k];
    s += t.value[k];
  }
  return s;
}

export interface TrainOptions {
  trees: number;
  maxDepth: number;
  learningRate: number;
  /** L2 penalty on leaf values (XGBoost's λ). */
  lambda: number;
  /** Minimum summed hessian in a child (XGBoost's min_child_weight). */
  minChildWeight: number;
  /** Share of rows drawn (without replacement) for each tree: stochastic boosting (Friedman 2002). */
  subsample: number;
  /** Quantile bins per feature (≤ 256). */
  bins: number;
  seed: number;
}

export const DEFAULT_TRAIN: TrainOptions = {
  trees: 150,
  maxDepth: 5,
  learningRate: 0.1,
  lambda: 1,
  minChildWeight: 20,
  subsample: 0.5,
  bins: 64,
  seed: 1,
};

/** Bin edges per feature from quantiles of a sample of rows; value ≤ edges[b] falls in bin ≤ b. */
function binEdges(x: Float32Array, n: number, nf: number, bins: number): Float64Array[] {
  const edges: Float64Array[] = [];
  const step = Math.max(1, Math.floor(n / 50000));
  for (let f = 0; f < nf; f++) {
    const vals: number[] = [];
    for (let i = 0; i < n; i += step) vals.push(x[i * nf + f]);
    vals.sort((a, b) => a - b);
    const e: number[] = [];
    for (let b = 1; b < bins; b++) {
      const v = vals[Math.floor((b * vals.length) / bins)];
      if (e.length === 0 || v > e[e.length - 1]) e.push(v);
    }
    edges.push(Float64Array.from(e));
  }
  return edges;
}

/**
 * Train a boosted ensemble on n rows of nf features (`x` row-major) with labels y ∈ {0,1} and
 * optional per-row weights. Trees grow level by level to `maxDepth`; each level builds the
 * gradient/hessian histograms of all its nodes in one pass over the rows.
 */
export function trainGbdt(
  x: Float32Array,
  y: Uint8Array,
  nf: number,
  opts: Partial<TrainOptions> = {},
  weight?: Float32Array,
  /** When given, receives each feature's summed split gain (feature importance). */
  importance?: Float64Array,
  /**
   * When given, each row's starting log-odds (another ensemble's scores): the trees are boosted
   * on from there and `base` is 0, so the returned trees are added to that ensemble's
   * (adapt.ts continues a shipped model on officers' verdicts this way).
   */
  init?: Float64Array,
): Gbdt {
  const o = { ...DEFAULT_TRAIN, ...opts };
  const n = y.length;
  const edges = binEdges(x, n, nf, o.bins);
  const nb = o.bins;
  const binned = new Uint8Array(n * nf);
  for (let i = 0; i < n; i++)
    for (let f = 0; f < nf; f++) {
      const e = edges[f];
      const v = x[i * nf + f];
      let lo = 0;
      let hi = e.length; // first edge ≥ v (binary search)
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (e[mid] < v) lo = mid + 1;
        else hi = mid;
      }
      binned[i * nf + f] = lo;
    }
  const w = weight ?? new Float32Array(n).fill(1);
  let pos = 0;
  let tot = 0;
  for (let i = 0; i < n; i++) {
    pos += w[i] * y[i];
    tot += w[i];
  }
  const prior = Math.min(Math.max(pos / tot, 1e-6), 1 - 1e-6);
  const base = init ? 0 : Math.log(prior / (1 - prior));
  const margin = init ? Float64Array.from(init) : new Float64Array(n).fill(base);
  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  const node = new Int32Array(n);
  const random = rng(o.seed);
  const trees: Tree[] = [];
  for (let t = 0; t < o.trees; t++) {
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-margin[i]));
      grad[i] = w[i] * (p - y[i]);
      hess[i] = w[i] * Math.max(p * (1 - p), 1e-12);
      // Rows left out of this tree's sample carry node −1.
      node[i] = random() < o.subsample ? 0 : -1;
    }
    const tree: Tree = { feature: [-1], threshold: [0], left: [0], right: [0], value: [0] };
    let level = [0];
    const sums = new Map<number, [number, number]>();
    {
      let g = 0;
      let h = 0;
      for (let i = 0; i < n; i++)
        if (node[i] === 0) {
          g += grad[i];
          h += hess[i];
        }
      sums.set(0, [g, h]);
    }
    for (let depth = 0; depth < o.maxDepth && level.length > 0; depth++) {
      const slot = new Int32Array(tree.feature.length).fill(-1);
      level.forEach((k, s) => (slot[k] = s));
      const hist = new Float64Array(level.length * nf * nb * 2);
      for (let i = 0; i < n; i++) {
        const s = node[i] >= 0 ? slot[node[i]] : -1;
        if (s < 0) continue;
        const g = grad[i];
        const h = hess[i];
        const row = i * nf;
        const at = s * nf * nb;
        for (let f = 0; f < nf; f++) {
          const k = (at + f * nb + binned[row + f]) * 2;
          hist[k] += g;
          hist[k + 1] += h;
        }
      }
      const next: number[] = [];
      const splitF = new Int32Array(tree.feature.length + 2 * level.length).fill(-1);
      const splitBin = new Int32Array(splitF.length);
      level.forEach((k, s) => {
        const [G, H] = sums.get(k) as [number, number];
        const parent = (G * G) / (H + o.lambda);
        let best = 1e-6;
        let bf = -1;
        let bbin = -1;
        let bl: [number, number] = [0, 0];
        for (let f = 0; f < nf; f++) {
          let gl = 0;
          let hl = 0;
          const at = (s * nf + f) * nb * 2;
          for (let b = 0; b < edges[f].length; b++) {
            gl += hist[at + b * 2];
            hl += hist[at + b * 2 + 1];
            const hr = H - hl;
            if (hl < o.minChildWeight || hr < o.minChildWeight) continue;
            const gr = G - gl;
            const gain = (gl * gl) / (hl + o.lambda) + (gr * gr) / (hr + o.lambda) - parent;
            if (gain > best) {
              best = gain;
              bf = f;
              bbin = b;
              bl = [gl, hl];
            }
          }
        }
        if (bf < 0) return;
        const l = tree.feature.length;
        for (let c = 0; c < 2; c++) {
          tree.feature.push(-1);
          tree.threshold.push(0);
          tree.left.push(0);
          tree.right.push(0);
          tree.value.push(0);
        }
        tree.feature[k] = bf;
        tree.threshold[k] = edges[bf][bbin];
        tree.left[k] = l;
        tree.right[k] = l + 1;
        sums.set(l, bl);
        sums.set(l + 1, [G - bl[0], H - bl[1]]);
        if (importance) importance[bf] += best;
        splitF[k] = bf;
        splitBin[k] = bbin;
        next.push(l, l + 1);
      });
      for (let i = 0; i < n; i++) {
        const k = node[i];
        if (k < 0 || splitF[k] < 0) continue;
        node[i] = binned[i * nf + splitF[k]] <= splitBin[k] ? tree.left[k] : tree.right[k];
      }
      level = next;
    }
    for (let k = 0; k < tree.feature.length; k++)
      if (tree.feature[k] < 0) {
        const [G, H] = sums.get(k) ?? [0, 0];
        tree.value[k] = (-G / (H + o.lambda)) * o.learningRate;
      }
    trees.push(tree);
    // Update every row's margin (rows outside this tree's sample too).
    for (let i = 0; i < n; i++) {
      let k = 0;
      while (tree.feature[k] >= 0)
        k = x[i * nf + tree.feature[k]] <= tree.threshold[k] ? tree.left[k] : tree.right[k];
      margin[i] += tree.value[k];
    }
  }
  return { base, trees };
}
