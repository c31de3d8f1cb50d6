/**
 * `npm run train:detect [-- --sensor s2|rgb]`: train a sensor's learned change classifier
 * (src/detect/learned/) and write
 *
 * - src/detect/learned/<sensor>-model.json — the shipped model, trained on every scene;
 * - .scratch/detect-folds/<sensor>-without-<group>.json — one held-out model per group,
 *   trained without that group's scenes, which `npm run eval:detect` uses to score them.
 *
 * s2: the 12 labelled OSCD cities in ../shared/data/oscd, one group per city. rgb: the
 * LEVIR-CD samples in ../shared/data/levir, one group per source image (two samples cut
 * from one image are held out together).
 *
 * Every pixel valid on both dates is described by featurePlanes (features.ts), the same code
 * inference runs, over the city's whole common window (so every pixel has its full context,
 * as inference's margins give it). Every change pixel and a seeded NEG_RATE of the others
 * (weighted ×1/NEG_RATE) train each model. Decision cut-off on the box-averaged probability:
 * the shipped model's maximises the mean F1 of the 12 cities scored held-out; city c's fold
 * model's maximises the mean F1 of the OTHER 11 cities scored held-out, so c's own labels
 * never pick it. Deterministic: the same data give the same files. Prints each city's raw
 * per-pixel held-out F1 (before detect.ts's farmland rules, closing and minimum mapping unit;
 * eval:detect scores the whole pipeline).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { detectChanges } from '../src/detect/detect.ts';
import { validOnBothDates } from '../src/detect/masks.ts';
import { scoreMasks, type Scores } from '../src/detect/metrics.ts';
import { readPairWindow, scenePair } from '../src/detect/pair-reader.ts';
import { profileOf, resolveBands, type Role, type SensorId } from '../src/detect/profiles.ts';
import {
  FEATURE_NAMES,
  featurePlanes,
  RGB_FEATURE_NAMES,
  sceneStats,
} from '../src/detect/learned/features.ts';
import { trainGbdt, type TrainOptions } from '../src/detect/learned/gbdt.ts';
import { averagedProbability, learnedChange } from '../src/detect/learned/classify-learned.ts';
import { FOLDS_DIR, foldPath } from './detect-folds.ts';
import { levirImage, levirSamples, levirScene } from './levir.ts';
import { openScene, type RasterScene } from '../src/raster/scene-source.ts';
import { registerDecoders } from '../src/raster/decoders.ts';
import { rng } from '../src/random.ts';
import type { LearnedClassifier } from '../src/detect/learned/classifier.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argAt = process.argv.indexOf('--sensor');
const sensor = (argAt > 0 ? process.argv[argAt + 1] : 's2') as SensorId;
if (sensor !== 's2' && sensor !== 'rgb') {
  console.error(`train:detect --sensor must be s2 (OSCD) or rgb (LEVIR), got ${sensor}`);
  process.exit(2);
}
const data = resolve(root, '../shared/data', sensor === 's2' ? 'oscd' : 'levir');
if (!existsSync(data)) {
  console.error(`train:detect needs ${data} (the shared real data), which is absent here`);
  process.exit(2);
}
registerDecoders();

/**
 * `--cuts-only`: keep the trees of the models already written and pick their decision again
 * (cut-off, smoothing, floor as set below) — minutes instead of a quarter of an hour.
 */
const cutsOnly = process.argv.includes('--cuts-only');

const TRAIN: Partial<TrainOptions> = { trees: 150, maxDepth: 6, learningRate: 0.12 };
/**
 * Share of the unchanged pixels kept (weighted back): OSCD's cities are 1–4 % change and
 * millions of pixels; LEVIR's samples are small and change is a larger share.
 */
const NEG_RATE = sensor === 's2' ? 0.08 : 0.25;
/** The features featurePlanes computes for the sensor's bands (four for s2, three for rgb). */
const features = sensor === 's2' ? FEATURE_NAMES : RGB_FEATURE_NAMES;
const SMOOTH_RADIUS = 2;
const MAGNITUDE_FLOOR = 0.35;
/**
 * The cascade's CVA bar as a share of the scene's rule threshold (src/detect/learned/cascade.ts),
 * s2 only: chosen on OSCD by scripts/eval-cascade.ts; rgb's has not been measured.
 */
const CASCADE = sensor === 's2' ? 0.25 : undefined;
const CUTS = Array.from({ length: 37 }, (_, k) => 0.05 + k * 0.025);

interface City {
  name: string;
  /** The fold it is held out with: the OSCD city, or the LEVIR sample's source image. */
  group: string;
  width: number;
  height: number;
  truth: Uint8Array;
  valid: Uint8Array;
  /** Feature planes over the whole common window. */
  planes: Float32Array[];
  baseline: Uint8Array;
}

/** A labelled pair: its dates and its label, 255 (or any value over 127) for change. */
interface Labelled {
  name: string;
  group: string;
  before: RasterScene;
  after: RasterScene;
  label: PNG;
}

/** The sensor's labelled pairs, each opened when called. */
function labelledPairs(): Array<() => Promise<Labelled>> {
  if (sensor === 's2')
    return readdirSync(data)
      .sort()
      .filter((name) => existsSync(join(data, name, 'label.png')))
      .map((name) => async () => ({
        name,
        group: name,
        before: await openScene(join(data, name, 'before')),
        after: await openScene(join(data, name, 'after')),
        label: PNG.sync.read(readFileSync(join(data, name, 'label.png'))),
      }));
  return levirSamples(data).map((name) => async () => ({
    name,
    group: levirImage(name),
    before: levirScene(data, 'A', name),
    after: levirScene(data, 'B', name),
    label: PNG.sync.read(readFileSync(join(data, 'label', `${name}.png`))),
  }));
}

async function loadCity({ name, group, before, after, label: png }: Labelled): Promise<City> {
  // The rule-based run: its fitted model (bands, masks) and its mask for comparison.
  const r = await detectChanges(before, after, { sensor, config: { learned: null } });
  const model = r.model;
  const win = r.window;
  const profile = profileOf(sensor);
  const rb = resolveBands(profile, before.bandNames, 'before');
  const ra = resolveBands(profile, after.bandNames, 'after');
  const pair = scenePair(
    before,
    after,
    model.roles.map((x: Role) => rb[x] as string),
    model.roles.map((x: Role) => ra[x] as string),
  );
  const W = win.width;
  const H = win.height;
  const n = W * H;
  const truth = new Uint8Array(n);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++)
      truth[y * W + x] = png.data[((y + win.y0) * png.width + x + win.x0) * 4] > 127 ? 1 : 0;
  const p = await readPairWindow(pair, win);
  const valid = validOnBothDates(model, p.before, p.after, n);
  // Statistics from every valid pixel, as detect.ts's calibration sample for the learned
  // classifier (LEARNED_SAMPLE) takes them in scenes of up to a million pixels.
  const sample = {
    before: p.before.map((b) => b.filter((_, i) => valid[i])),
    after: p.after.map((b) => b.filter((_, i) => valid[i])),
  };
  const planes = featurePlanes(model, sceneStats(model, sample), p.before, p.after, W, H);
  await before.close();
  await after.close();
  const baseline = r.mask.map((v) => (v ? 1 : 0));
  return { name, group, width: W, height: H, truth, valid, planes, baseline };
}

/** Training rows of some cities: every change pixel, a seeded share of the others weighted up. */
function rowsOf(cs: City[]): { X: Float32Array; Y: Uint8Array; W: Float32Array } {
  const random = rng(12345);
  const keep: [City, number][] = [];
  for (const c of cs)
    for (let i = 0; i < c.truth.length; i++)
      if (c.valid[i] && (c.truth[i] || random() < NEG_RATE)) keep.push([c, i]);
  const NF = features.length;
  const X = new Float32Array(keep.length * NF);
  const Y = new Uint8Array(keep.length);
  const W = new Float32Array(keep.length);
  keep.forEach(([c, i], r) => {
    for (let f = 0; f < NF; f++) X[r * NF + f] = c.planes[f][i];
    Y[r] = c.truth[i];
    W[r] = c.truth[i] ? 1 : 1 / NEG_RATE;
  });
  return { X, Y, W };
}

/** float32 values written with 9 significant digits round-trip exactly (inference reads float32). */
const f32 = (v: number): number => Number(Math.fround(v).toPrecision(9));

function train(cs: City[], importance?: Float64Array): LearnedClassifier {
  const { X, Y, W } = rowsOf(cs);
  const m = trainGbdt(X, Y, features.length, TRAIN, W, importance);
  return {
    kind: 'gbdt-pixel',
    features: [...features],
    smoothRadius: SMOOTH_RADIUS,
    magnitudeFloor: MAGNITUDE_FLOOR,
    cascade: CASCADE,
    cut: 0.5,
    base: f32(m.base),
    trees: m.trees.map((t) => ({ ...t, threshold: t.threshold.map(f32), value: t.value.map(f32) })),
    trainedOn: [...new Set(cs.map((c) => c.group))],
    options: { ...TRAIN, negativeRate: NEG_RATE },
  } as LearnedClassifier;
}

/** A stored model with this script's decision settings (for --cuts-only). */
function withDecision(m: LearnedClassifier): LearnedClassifier {
  return { ...m, smoothRadius: SMOOTH_RADIUS, magnitudeFloor: MAGNITUDE_FLOOR, cascade: CASCADE };
}

/** Scores of a city at every cut of CUTS, its box-averaged probabilities from `model`. */
function scoresByCut(model: LearnedClassifier, c: City): Scores[] {
  const p = averagedProbability(model, c.planes, c.valid, c.width, c.height);
  return CUTS.map((cut) =>
    scoreMasks(learnedChange({ ...model, cut }, c.planes, c.valid, p), c.truth),
  );
}

/** The cut maximising the mean F1 over some cities' held-out scores. */
function bestCut(scores: Scores[][]): number {
  const mean = CUTS.map((_, j) => scores.reduce((s, c) => s + c[j].f1, 0) / scores.length);
  return CUTS[mean.indexOf(Math.max(...mean))];
}

const cities: City[] = [];
for (const open of labelledPairs()) {
  const t = performance.now();
  const c = await loadCity(await open());
  cities.push(c);
  console.error(
    `${c.name.padEnd(12)} ${c.width}x${c.height} change ${(c.truth.reduce((s, v) => s + v, 0) / c.truth.length).toFixed(3)} rule-based pipeline F1 ${scoreMasks(c.baseline, c.truth).f1.toFixed(3)} ${Math.round(performance.now() - t)} ms`,
  );
}
const groups = [...new Set(cities.map((c) => c.group))];

mkdirSync(FOLDS_DIR, { recursive: true });
const importance = new Float64Array(features.length);
const folds = new Map<string, LearnedClassifier>();
const heldOut = new Map<City, Scores[]>();
for (const group of groups) {
  const t = performance.now();
  const model = cutsOnly
    ? withDecision(JSON.parse(readFileSync(foldPath(sensor, group), 'utf8')) as LearnedClassifier)
    : train(
        cities.filter((c) => c.group !== group),
        importance,
      );
  folds.set(group, model);
  for (const c of cities) if (c.group === group) heldOut.set(c, scoresByCut(model, c));
  console.error(`trained without ${group} in ${Math.round(performance.now() - t)} ms`);
}
// A group's cut maximises the mean held-out F1 of the OTHER groups' scenes.
for (const group of groups) {
  const model = folds.get(group)!;
  model.cut = bestCut(cities.filter((c) => c.group !== group).map((c) => heldOut.get(c)!));
  writeFileSync(foldPath(sensor, group), JSON.stringify(model));
}
let sum = 0;
let baseSum = 0;
for (const held of cities) {
  const { cut } = folds.get(held.group)!;
  const s = heldOut.get(held)![CUTS.indexOf(cut)];
  sum += s.f1;
  const b = scoreMasks(held.baseline, held.truth).f1;
  baseSum += b;
  console.error(
    `held out ${held.name.padEnd(12)} raw pixel F1 ${s.f1.toFixed(3)} (p ${s.precision.toFixed(2)} r ${s.recall.toFixed(2)}, cut ${cut.toFixed(3)}) | rule-based pipeline ${b.toFixed(3)}`,
  );
}
console.error(
  `mean held-out raw pixel F1 ${(sum / cities.length).toFixed(3)} | rule-based pipeline ${(baseSum / cities.length).toFixed(3)}`,
);
const tot = importance.reduce((a, b) => a + b, 0);
if (tot > 0)
  console.error(
    'feature importance (split gain share, summed over folds): ' +
      features
        .map((f, i) => [f, importance[i] / tot] as const)
        .sort((a, b) => b[1] - a[1])
        .map(([f, v]) => `${f} ${v.toFixed(3)}`)
        .join(', '),
  );
const shippedFile = join(root, 'src', 'detect', 'learned', `${sensor}-model.json`);
const shipped = cutsOnly
  ? withDecision(JSON.parse(readFileSync(shippedFile, 'utf8')) as LearnedClassifier)
  : train(cities);
shipped.cut = bestCut(cities.map((c) => heldOut.get(c)!));
writeFileSync(shippedFile, JSON.stringify(shipped) + '\n');
console.error(
  `wrote ${shippedFile} (cut ${shipped.cut.toFixed(3)}) and ${groups.length} fold models in ${FOLDS_DIR}`,
);
