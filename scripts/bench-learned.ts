/**
 * `npx tsx scripts/bench-learned.ts`: CPU cost of the learned s2 classifier against the rules,
 * per window of 256 × 10980 rows in make_scene.py's style (64-px fields, 70 % green crop, a
 * tenth of them ploughed between the dates, planted buildings, noise σ 60, 5 % gain), and
 * that cost scaled to a 10980² scene (43 windows); the learned classifier with its cascade
 * (cascade.ts) as shipped and without it, and as shipped without the trees' early exit
 * (compiled-trees.ts treeExit: every tree for every pixel). Single thread; best of `ROUNDS`
 * interleaved runs, so a loaded machine inflates all alike; CPU time of this thread
 * (process.cpuUsage), which other work on the machine disturbs less than the wall clock.
 */
import { classifyWindow } from '../src/detect/classify.ts';
import { rng } from '../src/raster/test-fixtures.ts';
import shipped from '../src/detect/learned/s2-model.json' with { type: 'json' };
import { s2PairModel } from '../src/detect/learned/test-fixtures.ts';
import type { LearnedClassifier } from '../src/detect/learned/classifier.ts';
import { treeExit } from '../src/detect/learned/compiled-trees.ts';
import type { ChangeModel } from '../src/detect/types.ts';

const W = 10980;
const H = 256;
const n = W * H;
const r = rng(1);
const spec = [
  [400, 700, 500, 3500],
  [900, 1100, 1300, 2000],
  [1400, 1500, 1600, 1900],
];
const fields = Array.from({ length: Math.ceil(W / 64) * 4 }, () => {
  const u = r();
  return u < 0.7 ? 0 : u < 0.92 ? 1 : 2;
});
const seasonal = fields.map((s) => s === 0 && r() < 0.1);
const before = [0, 1, 2, 3].map(() => new Float32Array(n));
const after = [0, 1, 2, 3].map(() => new Float32Array(n));
const stateA = new Uint8Array(n);
for (let y = 0; y < H; y++)
  for (let x = 0; x < W; x++) {
    const f = Math.floor(y / 64) * Math.ceil(W / 64) + Math.floor(x / 64);
    stateA[y * W + x] = seasonal[f] ? 1 : fields[f];
  }
// About 0.8 % of pixels planted as buildings (2000 rectangles on a 10980² scene).
for (let k = 0; k < 2000 / 43; k++) {
  const h = 4 + Math.floor(r() * 36);
  const w = 4 + Math.floor(r() * 36);
  const y0 = Math.floor(r() * (H - h));
  const x0 = Math.floor(r() * (W - w));
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) stateA[y * W + x] = 2;
}
const gauss = (): number => (r() + r() + r() + r() - 2) * 60 * Math.sqrt(3);
for (let i = 0; i < n; i++) {
  const f = Math.floor(i / W / 64) * Math.ceil(W / 64) + Math.floor((i % W) / 64);
  for (let b = 0; b < 4; b++) {
    before[b][i] = spec[fields[f]][b] + gauss();
    after[b][i] = spec[stateA[i]][b] * 1.05 + gauss();
  }
}
const model = (learned: LearnedClassifier | null): ChangeModel =>
  s2PairModel(learned, before, after);
const shippedExit = treeExit.rule;
/**
 * Best of `rounds` runs of each (CPU ms), interleaved so all see the same machine load; a
 * model run `exact` without the trees' early exit.
 */
function race(
  models: { model: ChangeModel; exact?: boolean }[],
  rounds: number,
): { ms: number; changed: number }[] {
  const out = models.map(() => ({ ms: Infinity, changed: 0 }));
  for (let k = 0; k < rounds; k++)
    models.forEach(({ model: m, exact }, j) => {
      treeExit.rule = exact ? null : shippedExit;
      const t = process.cpuUsage();
      const res = classifyWindow(m, before, after, n, W);
      const used = process.cpuUsage(t);
      out[j].ms = Math.min(out[j].ms, (used.user + used.system) / 1000);
      out[j].changed = res.cls.reduce((s, v) => s + (v ? 1 : 0), 0);
    });
  treeExit.rule = shippedExit;
  return out;
}
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const withCascade = shipped as unknown as LearnedClassifier;
const [rules, learned, plain, exact] = race(
  [
    { model: model(null) },
    { model: model(withCascade) },
    { model: model({ ...withCascade, cascade: undefined }) },
    { model: model(withCascade), exact: true },
  ],
  ROUNDS,
);
const scale = (ms: number): string => ((ms * Math.ceil(10980 / H)) / 1000).toFixed(2);
console.log(
  `per 256×10980 window: rules ${rules.ms.toFixed(0)} ms (${rules.changed} px classed), learned ${learned.ms.toFixed(0)} ms (${learned.changed} px); ` +
    `10980² scene CPU: rules ${scale(rules.ms)} s, learned ${scale(learned.ms)} s, added ${scale(learned.ms - rules.ms)} s; ` +
    `learned without its cascade ${plain.ms.toFixed(0)} ms (${plain.changed} px), ${scale(plain.ms)} s; ` +
    `learned without the trees' early exit ${exact.ms.toFixed(0)} ms (${exact.changed} px), ${scale(exact.ms)} s`,
);
