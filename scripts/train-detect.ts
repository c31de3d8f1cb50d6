/**
 * `npm run train:detect`: train the learned change classifier of the s2 profile
 * (src/detect/learned/) on the 12 labelled OSCD cities in ../shared/data/oscd, and write
 *
 * - src/detect/learned/s2-model.json — the shipped model, trained on all 12 cities;
 * - .scratch/detect-folds/s2-without-<city>.json — one leave-one-city-out model per city,
 *   trained without that city, which `npm run eval:detect` uses to score it held-out.
 *
 * Candidates are what windowFeatures (features.ts) leaves to the model at inference: pixels
 * with z > Z_MIN that the greening and seasonal rules do not decide, in the full-width
 * windows of whole strips (≥ 256 rows) detect.ts reads OSCD's striped files in. Every
 * positive candidate and a seeded 30 % of the negatives (weighted ×1/0.3) train each model;
 * its decision cut-off is chosen on a 2-fold split of ITS OWN training cities (each half
 * scored by a model trained on the other half), so no model's cut-off has seen the city it
 * is scored on. Deterministic:
 * the same data give the same files. Prints the raw per-pixel held-out F1 of each fold (before
 * detect.ts's hysteresis, morphology and minimum mapping unit, and without the seasonal
 * pixels; eval:detect scores the whole pipeline).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { detectChanges } from '../src/detect/detect.ts';
import { validPixels } from '../src/detect/masks.ts';
import type { ChangeModel } from '../src/detect/model.ts';
import { readPairWindow } from '../src/detect/pair-reader.ts';
import { profileOf, resolveBands, type Role } from '../src/detect/profiles.ts';
import { FEATURE_NAMES, NF, windowFeatures } from '../src/detect/learned/features.ts';
import { predictLogit, trainGbdt, type Gbdt } from '../src/detect/learned/gbdt.ts';
import type { LearnedClassifier } from '../src/detect/learned/classify-learned.ts';
import { FOLDS_DIR, foldPath } from './detect-folds.ts';
import { alignGrids } from '../src/raster/grid.ts';
import { openScene } from '../src/raster/scene-source.ts';
import { registerZlibDecoder } from '../src/raster/zlib-decoder.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const oscd = resolve(root, '../shared/data/oscd');
if (!existsSync(oscd)) {
  console.error(`train:detect needs ${oscd} (the shared OSCD data), which is absent here`);
  process.exit(2);
}
registerZlibDecoder();

interface City {
  name: string;
  n: number;
  truth: Uint8Array;
  baseline: Uint8Array;
  index: Int32Array;
  x: Float32Array;
  y: Uint8Array;
  width: number;
  height: number;
}

/** Candidate bar on z: permissive (the rule-based path starts at 0.8 × a threshold ≥ 4). */
const Z_MIN = 2;

async function loadCity(name: string): Promise<City> {
  const dir = join(oscd, name);
  const png = PNG.sync.read(readFileSync(join(dir, 'label.png')));
  const before = await openScene(join(dir, 'before'));
  const after = await openScene(join(dir, 'after'));
  // The rule-based run: its fitted model (normalisation, noise, threshold) and its mask for comparison.
  const r = await detectChanges(before, after, { sensor: 's2', config: { learned: null } });
  const model: ChangeModel = r.model;
  const win = r.window;
  const profile = profileOf('s2');
  const rb = resolveBands(profile, before.bandNames, 'before');
  const ra = resolveBands(profile, after.bandNames, 'after');
  const pair = {
    before,
    after,
    beforeBands: model.roles.map((x: Role) => rb[x] as string),
    afterBands: model.roles.map((x: Role) => ra[x] as string),
    alignment: alignGrids(before.grid, after.grid, { before: 'b', after: 'a' }),
  };
  const W = win.width;
  const H = win.height;
  const truth = new Uint8Array(W * H);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++)
      truth[y * W + x] = png.data[((y + win.y0) * png.width + x + win.x0) * 4] > 127 ? 1 : 0;
  const idx: number[] = [];
  const xs: Float32Array[] = [];
  // The windows detect.ts reads these striped files in: whole strips, at least 256 rows.
  const rows = Math.ceil(256 / Math.max(1, before.blockHeight)) * Math.max(1, before.blockHeight);
  for (let y0 = 0; y0 < H; y0 += rows) {
    const h = Math.min(rows, H - y0);
    const w = { x0: win.x0, y0: win.y0 + y0, width: W, height: h };
    const p = await readPairWindow(pair, w);
    const n = W * h;
    const vb = validPixels(p.before, model.masks, n, model.nodataBefore, model.config);
    const va = validPixels(p.after, model.masks, n, model.nodataAfter, model.config);
    const valid = vb.map((v, i) => v & va[i]);
    const f = windowFeatures(model, p.before, p.after, valid, W, h, Z_MIN);
    for (const i of f.index) idx.push(i + y0 * W);
    xs.push(f.x);
  }
  const x = new Float32Array(idx.length * NF);
  let o = 0;
  for (const a of xs) {
    x.set(a, o);
    o += a.length;
  }
  const index = Int32Array.from(idx);
  const y = Uint8Array.from(index, (i) => truth[i]);
  const baseline = r.mask.map((v) => (v ? 1 : 0));
  await before.close();
  await after.close();
  return { name, n: W * H, truth, baseline, index, x, y, width: W, height: H };
}

function f1(pred: Uint8Array, truth: Uint8Array): { p: number; r: number; f: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < pred.length; i++) {
    if (pred[i] && truth[i]) tp++;
    else if (pred[i]) fp++;
    else if (truth[i]) fn++;
  }
  const p = tp / Math.max(1, tp + fp);
  const r = tp / Math.max(1, tp + fn);
  return { p, r, f: (2 * p * r) / Math.max(1e-9, p + r) };
}

const cities: City[] = [];
for (const name of readdirSync(oscd).sort()) {
  if (!existsSync(join(oscd, name, 'label.png'))) continue;
  const t = performance.now();
  const c = await loadCity(name);
  cities.push(c);
  const pos = c.truth.reduce((s, v) => s + v, 0);
  const covered = c.y.reduce((s, v) => s + v, 0);
  console.error(
    `${name.padEnd(12)} ${c.width}x${c.height} change ${(pos / c.n).toFixed(3)} candidates ${(c.index.length / c.n).toFixed(3)} label-recall@zmin ${(covered / pos).toFixed(3)} baseline F1 ${f1(c.baseline, c.truth).f.toFixed(3)} ${Math.round(performance.now() - t)} ms`,
  );
}

/** Small on purpose: inference walks every tree for every candidate pixel (see README). */
const TRAIN = { trees: 30, maxDepth: 5, learningRate: 0.25 };
const NEG_RATE = 0.3;
const CUTS = Array.from({ length: 18 }, (_, k) => 0.05 + k * 0.05);

/** Training rows of some cities: all positives, a seeded share of negatives weighted up. */
function rowsOf(cs: City[]): { X: Float32Array; Y: Uint8Array; W: Float32Array } {
  let seed = 12345;
  const rand = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296;
  const keep: [City, number][] = [];
  for (const c of cs)
    for (let k = 0; k < c.y.length; k++) if (c.y[k] || rand() < NEG_RATE) keep.push([c, k]);
  const X = new Float32Array(keep.length * NF);
  const Y = new Uint8Array(keep.length);
  const W = new Float32Array(keep.length);
  keep.forEach(([c, k], r) => {
    X.set(c.x.subarray(k * NF, (k + 1) * NF), r * NF);
    Y[r] = c.y[k];
    W[r] = c.y[k] ? 1 : 1 / NEG_RATE;
  });
  return { X, Y, W };
}

function probsOf(model: Gbdt, c: City): Float32Array {
  const p = new Float32Array(c.index.length);
  for (let k = 0; k < p.length; k++) p[k] = 1 / (1 + Math.exp(-predictLogit(model, c.x, k * NF)));
  return p;
}

function scoreAt(c: City, p: Float32Array, cut: number): { p: number; r: number; f: number } {
  const pred = new Uint8Array(c.n);
  for (let k = 0; k < p.length; k++) if (p[k] > cut) pred[c.index[k]] = 1;
  return f1(pred, c.truth);
}

/** The probability cut-off maximising mean F1 over cities scored by models that did not see them (2-fold inside `cs`). */
function chooseCut(cs: City[]): number {
  const halves = [cs.filter((_, i) => i % 2 === 0), cs.filter((_, i) => i % 2 === 1)];
  const sums = CUTS.map(() => 0);
  for (let h = 0; h < 2; h++) {
    const { X, Y, W } = rowsOf(halves[h]);
    const m = trainGbdt(X, Y, NF, TRAIN, W);
    for (const c of halves[1 - h]) {
      const p = probsOf(m, c);
      CUTS.forEach((cut, j) => (sums[j] += scoreAt(c, p, cut).f));
    }
  }
  return CUTS[sums.indexOf(Math.max(...sums))];
}

/** Train on some cities: the model, its cut-off chosen without them being scored by it, as stored. */
function fit(cs: City[], importance?: Float64Array): LearnedClassifier {
  const { X, Y, W } = rowsOf(cs);
  const m = trainGbdt(X, Y, NF, TRAIN, W, importance);
  const cut = chooseCut(cs);
  // float32 values written with 9 significant digits round-trip exactly (inference reads float32).
  const f32 = (v: number): number => Number(Math.fround(v).toPrecision(9));
  return {
    kind: 'gbdt',
    features: [...FEATURE_NAMES],
    zMin: Z_MIN,
    cut: f32(Math.log(cut / (1 - cut))),
    base: f32(m.base),
    trees: m.trees.map((t) => ({ ...t, threshold: t.threshold.map(f32), value: t.value.map(f32) })),
    trainedOn: cs.map((c) => c.name),
    options: { ...TRAIN, negativeRate: NEG_RATE, cut },
  };
}

mkdirSync(FOLDS_DIR, { recursive: true });
const importance = new Float64Array(NF);
let sum = 0;
let baseSum = 0;
for (const held of cities) {
  const t = performance.now();
  const model = fit(
    cities.filter((c) => c !== held),
    importance,
  );
  writeFileSync(foldPath(held.name), JSON.stringify(model));
  const s = scoreAt(held, probsOf(model, held), model.options.cut);
  sum += s.f;
  const b = f1(held.baseline, held.truth).f;
  baseSum += b;
  console.error(
    `held out ${held.name.padEnd(12)} raw pixel F1 ${s.f.toFixed(3)} (p ${s.p.toFixed(2)} r ${s.r.toFixed(2)}, cut ${model.options.cut.toFixed(2)}) | rule-based pipeline ${b.toFixed(3)} | ${Math.round(performance.now() - t)} ms`,
  );
}
console.error(
  `mean held-out raw pixel F1 ${(sum / cities.length).toFixed(3)} | rule-based pipeline ${(baseSum / cities.length).toFixed(3)}`,
);
const tot = importance.reduce((a, b) => a + b, 0);
console.error(
  'feature importance (split gain share, summed over folds): ' +
    FEATURE_NAMES.map((f, i) => [f, importance[i] / tot] as const)
      .sort((a, b) => b[1] - a[1])
      .map(([f, v]) => `${f} ${v.toFixed(3)}`)
      .join(', '),
);
const shipped = fit(cities);
const out = join(root, 'src', 'detect', 'learned', 's2-model.json');
writeFileSync(out, JSON.stringify(shipped) + '\n');
console.error(
  `wrote ${out} (cut ${shipped.options.cut.toFixed(2)}) and ${cities.length} fold models in ${FOLDS_DIR}`,
);
