/**
 * Learning from verdicts: the shipped classifier (s2-model.json, rgb-model.json) adapted to an
 * installation's own imagery with what its officers judged of the 图斑 it detected. A 图斑
 * judged real construction (illegal, lawful, or "other" for a road or facility) says its
 * pixels are change; one dismissed as 伪变化 or judged "false change" says they are not. A
 * ring of ground around each 图斑 outside every detected outline is taken as unchanged too,
 * so the new trees cannot simply raise every score.
 *
 * This file describes the judged 图斑 (verdictWindows), fits one extension of the shipped model
 * to them (fitExtension: trees boosted on **from the shipped model's log-odds**, gbdt.ts
 * `init`, so the shipped trees are kept whole; and/or the cut-off picked again) and scores a
 * model on judged windows (windowScores). Which extension, if any, a deployment adopts is
 * adoption.ts's decision: candidates of different strength, each scored on verdicts held out
 * of its fit. Why trees and not only a recalibration: re-picking the cut-off moves every score
 * alike and cannot tell a recurring false alarm (a film, a shed roof the officers keep
 * dismissing) from a real roof of the same score; boosting can (adapt.test.ts). On real scenes
 * the full-strength boosting alone made the detector worse on average (EVALUATION.md, "Learning
 * from verdicts"), hence the gentler candidates and the held-out decision — which keeps most
 * losses away but has not yet made learning raise F1 on average (adoption.ts).
 *
 * No database and no files: src/services/detection-learning.ts gives it the judged 图斑 and
 * their registered imagery, scripts/eval-learning.ts simulated verdicts on labelled scenes.
 */
import { bboxOf } from '../../geo/bbox.ts';
import { containsPoint } from '../../geo/contains.ts';
import type { Areal } from '../../geo/types.ts';
import { boxMean } from '../../raster/box.ts';
import { fromLonLat, toLonLat } from '../../raster/crs.ts';
import type { PixelWindow } from '../../raster/grid.ts';
import type { RasterScene } from '../../raster/scene-source.ts';
import { fitModel, sampleSizeOf } from '../fit.ts';
import { validOnBothDates } from '../masks.ts';
import { scoresOf, type Scores } from '../metrics.ts';
import { openPair } from '../open-pair.ts';
import { resolveConfig } from '../options.ts';
import { readPairWindow } from '../pair-reader.ts';
import type { SensorId } from '../profiles.ts';
import type { AddOffsets } from '../radiometry.ts';
import { resolveRadiometry } from '../radiometry.ts';
import { planWindows } from '../windows.ts';
import type { LearnedClassifier } from './classifier.ts';
import { logitFunction } from './compiled-trees.ts';
import { FEATURE_RADIUS, featurePlanes } from './features.ts';
import { predictLogit, trainGbdt, type Tree, type TrainOptions } from './gbdt.ts';

/** One judged 图斑: its outline (lon/lat) and what the verdict says of it. */
export interface JudgedOutline {
  geometry: Areal;
  /** true: real change (construction, lawful or not); false: no change (false positive). */
  change: boolean;
}

/** How a pair is read: as the detection run that found its 图斑 read it. */
export interface PairReading {
  sensor: SensorId;
  bands?: string[];
  addOffset?: AddOffsets;
  /** As the detection job's `workingResolutionM` (0: the imagery's own). */
  workingResolutionM?: number;
}

/**
 * One 图斑's window: the feature rows of the pixels the trees score (valid on both dates and
 * at or over the magnitude floor; every other pixel is never change), and each pixel's label.
 */
export interface VerdictWindow {
  /** The labelled box, in pixels of the pair's grid (the window adds the features' halo). */
  box: PixelWindow;
  width: number;
  height: number;
  /** Window indices of the scored pixels. */
  scored: Int32Array;
  /** Their features, row-major (scored.length × the classifier's features). */
  rows: Float32Array;
  /** The shipped model's log-odds of each scored pixel. */
  shippedLogit: Float64Array;
  /** Per window pixel: 1 judged change, 0 judged no change, 2 unjudged background, −1 unused. */
  label: Int8Array;
  /** The verdict on the 图斑 (JudgedOutline.change); false on a ground tile. */
  change: boolean;
  /** false: a tile of unjudged ground away from every 图斑 (groundTiles), not a verdict. */
  judged: boolean;
}

/** Pixels of unchanged ground kept around a 图斑's box (background). */
const RING = 8;
/** Side of a ground tile, in pixels. */
const TILE = 32;
/** Weight of a background pixel against a judged one. */
const BACKGROUND_WEIGHT = 0.5;

/** The box of an outline on a grid in pixels (clipped to `bounds`), grown by `grow`, or null. */
function boxOn(
  grid: {
    crs: Parameters<typeof fromLonLat>[0];
    originX: number;
    originY: number;
    pixelWidth: number;
    pixelHeight: number;
  },
  geometry: Areal,
  grow: number,
  bounds: PixelWindow,
): PixelWindow | null {
  const box = bboxOf(geometry);
  const f = fromLonLat(grid.crs);
  const corners = [f(box[0], box[1]), f(box[2], box[1]), f(box[0], box[3]), f(box[2], box[3])];
  const cols = corners.map(([x]) => (x - grid.originX) / grid.pixelWidth);
  const rows = corners.map(([, y]) => (grid.originY - y) / grid.pixelHeight);
  const x0 = Math.max(bounds.x0, Math.floor(Math.min(...cols)) - grow);
  const y0 = Math.max(bounds.y0, Math.floor(Math.min(...rows)) - grow);
  const x1 = Math.min(bounds.x0 + bounds.width, Math.ceil(Math.max(...cols)) + grow);
  const y1 = Math.min(bounds.y0 + bounds.height, Math.ceil(Math.max(...rows)) + grow);
  if (x1 <= x0 || y1 <= y0) return null;
  return { x0, y0, width: x1 - x0, height: y1 - y0 };
}

/**
 * The windows of a pair's judged 图斑, their pixels described by featurePlanes with the
 * statistics of the whole scene's calibration sample — the features the detection run
 * computed. `detected`: every outline detected on the pair (judged or not), so that the
 * background is taken outside all of them. 图斑 the pair does not reach give no window.
 *
 * `ground`: also this many tiles of unjudged ground, at seeded places inside `area` (pixels of
 * the pair's grid; the whole pair by default) that no detected outline reaches, every pixel
 * labelled background, after the 图斑's windows. Why: a 图斑's window shows only where the
 * shipped model already said change; a version that raises scores elsewhere would add false
 * alarms no verdict can see. The tiles teach the trees what the shipped model leaves alone, and
 * score a version on it too (adoption.ts).
 */
export async function verdictWindows(
  before: RasterScene,
  after: RasterScene,
  reading: PairReading,
  shipped: LearnedClassifier,
  judged: JudgedOutline[],
  detected: Areal[],
  ground: { count: number; area?: PixelWindow; seed?: number } = { count: 0 },
): Promise<VerdictWindow[]> {
  const { profile, config } = resolveConfig({
    sensor: reading.sensor,
    config: {
      learned: shipped,
      ...(reading.workingResolutionM === undefined
        ? {}
        : { workingResolutionM: reading.workingResolutionM || null }),
    },
  });
  const opened = openPair(before, after, profile, config, reading.bands);
  const dates = resolveRadiometry(
    [opened.before, opened.after],
    opened.spectral,
    config,
    profile.id,
    reading.addOffset,
  );
  const windows = planWindows(opened, config, {});
  const { model } = await fitModel(
    opened,
    windows,
    dates,
    config,
    sampleSizeOf({}, config),
    () => {},
  );
  const grid = opened.before.grid;
  const bounds = opened.pair.alignment.window;
  const lonLat = toLonLat(grid.crs);
  const logit = logitFunction(shipped);
  const nf = shipped.features.length;
  const magnitude = shipped.features.indexOf('magnitude');
  const halo = FEATURE_RADIUS + shipped.smoothRadius;
  /** A window over `inner` (plus the features' halo); `labelOf` labels a valid pixel. */
  const describe = async (
    inner: PixelWindow,
    labelOf: (lon: number, lat: number) => number,
    change: boolean,
    isJudged: boolean,
  ): Promise<VerdictWindow> => {
    const read = grown(inner, halo, bounds);
    const { width: W, height: H } = read;
    const n = W * H;
    const p = await readPairWindow(opened.pair, read);
    const valid = validOnBothDates(model, p.before, p.after, n);
    const planes = featurePlanes(model, model.learnedStats!, p.before, p.after, W, H);
    const label = new Int8Array(n).fill(-1);
    for (let y = inner.y0; y < inner.y0 + inner.height; y++)
      for (let x = inner.x0; x < inner.x0 + inner.width; x++) {
        const i = (y - read.y0) * W + (x - read.x0);
        if (!valid[i]) continue;
        const [lon, lat] = lonLat(
          grid.originX + (x + 0.5) * grid.pixelWidth,
          grid.originY - (y + 0.5) * grid.pixelHeight,
        );
        label[i] = labelOf(lon, lat);
      }
    const scoredIdx: number[] = [];
    for (let i = 0; i < n; i++)
      if (valid[i] && planes[magnitude][i] >= shipped.magnitudeFloor) scoredIdx.push(i);
    const rows = new Float32Array(scoredIdx.length * nf);
    const shippedLogit = new Float64Array(scoredIdx.length);
    scoredIdx.forEach((i, r) => {
      for (let f = 0; f < nf; f++) rows[r * nf + f] = planes[f][i];
      shippedLogit[r] = logit(rows.subarray(r * nf, (r + 1) * nf));
    });
    return {
      box: inner,
      width: W,
      height: H,
      scored: Int32Array.from(scoredIdx),
      rows,
      shippedLogit,
      label,
      change,
      judged: isJudged,
    };
  };
  const out: VerdictWindow[] = [];
  for (const j of judged) {
    const inner = boxOn(grid, j.geometry, RING, bounds);
    if (!inner) continue;
    const others = detected.filter(
      (g) => g !== j.geometry && overlaps(grid, g, grown(inner, halo, bounds), bounds),
    );
    out.push(
      await describe(
        inner,
        (lon, lat) =>
          containsPoint(j.geometry, lon, lat)
            ? j.change
              ? 1
              : 0
            : others.some((g) => containsPoint(g, lon, lat))
              ? -1
              : 2,
        j.change,
        true,
      ),
    );
  }
  // Ground tiles: seeded places, none reached by a detected outline's box (grown by RING).
  const area = ground.area ? clip(ground.area, bounds) : bounds;
  if (ground.count > 0 && area && area.width >= TILE && area.height >= TILE) {
    const boxes = detected
      .map((g) => boxOn(grid, g, RING, bounds))
      .filter((b): b is PixelWindow => b !== null);
    const random = seeded(ground.seed ?? 1);
    let placed = 0;
    for (let tries = 0; placed < ground.count && tries < ground.count * 20; tries++) {
      const tile = {
        x0: area.x0 + Math.floor(random() * (area.width - TILE + 1)),
        y0: area.y0 + Math.floor(random() * (area.height - TILE + 1)),
        width: TILE,
        height: TILE,
      };
      if (boxes.some((b) => meet(b, tile))) continue;
      boxes.push(tile);
      out.push(await describe(tile, () => 2, false, false));
      placed++;
    }
  }
  return out;
}

/** A window grown by `by` pixels on each side, clipped to `bounds`. */
function grown(w: PixelWindow, by: number, bounds: PixelWindow): PixelWindow {
  return clip(
    { x0: w.x0 - by, y0: w.y0 - by, width: w.width + 2 * by, height: w.height + 2 * by },
    bounds,
  )!;
}

/** The part of a window inside `bounds`, or null. */
function clip(w: PixelWindow, bounds: PixelWindow): PixelWindow | null {
  const x0 = Math.max(w.x0, bounds.x0);
  const y0 = Math.max(w.y0, bounds.y0);
  const x1 = Math.min(w.x0 + w.width, bounds.x0 + bounds.width);
  const y1 = Math.min(w.y0 + w.height, bounds.y0 + bounds.height);
  return x1 > x0 && y1 > y0 ? { x0, y0, width: x1 - x0, height: y1 - y0 } : null;
}

/** Whether two windows share a pixel. */
function meet(a: PixelWindow, b: PixelWindow): boolean {
  return (
    a.x0 < b.x0 + b.width &&
    b.x0 < a.x0 + a.width &&
    a.y0 < b.y0 + b.height &&
    b.y0 < a.y0 + a.height
  );
}

/** A seeded generator in [0, 1) (mulberry32): the same tiles on every run. */
function seeded(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Whether an outline's box reaches a pixel window. */
function overlaps(
  grid: Parameters<typeof boxOn>[0],
  g: Areal,
  w: PixelWindow,
  bounds: PixelWindow,
): boolean {
  const b = boxOn(grid, g, 0, bounds);
  return b !== null && meet(b, w);
}

/** What the verdicts add to a shipped model: trees boosted on from its scores, and its cut-off. */
export interface ModelExtension {
  trees: Tree[];
  cut: number;
}

/** The shipped model with an extension: its trees, then the extension's, summed. */
export function adaptedClassifier(
  shipped: LearnedClassifier,
  ext: ModelExtension,
  label = 'verdicts',
): LearnedClassifier {
  return {
    ...shipped,
    trees: [...shipped.trees, ...ext.trees],
    cut: ext.cut,
    trainedOn: [...shipped.trainedOn, label],
  };
}

/** Boosting on verdicts at full strength (the first method): 40 depth-3 trees. */
export const ADAPT_TRAIN: Partial<TrainOptions> = {
  trees: 40,
  maxDepth: 3,
  learningRate: 0.1,
  lambda: 5,
  minChildWeight: 10,
  subsample: 0.8,
  seed: 7,
};

/** One way of fitting an extension: the candidates adoption.ts weighs are these. */
export interface AdaptOptions {
  /** Trees boosted on from the shipped scores (ADAPT_TRAIN with these overrides). */
  train?: Partial<TrainOptions>;
  /** Also pick the cut-off again on the training windows (a recalibration). */
  recut?: boolean;
  /** Only pick the cut-off (no trees): the recalibration alone. */
  cutOnly?: boolean;
  /**
   * Every judged 图斑 weighs the same, whatever its size: a few large 图斑 (a car park, a
   * field of film) cannot steer the trees alone. Off: every labelled pixel weighs the same.
   */
  perOutline?: boolean;
}

/** Cut-offs tried when the cut is picked again (as train-detect.ts's). */
const CUTS = Array.from({ length: 37 }, (_, k) => 0.05 + k * 0.025);

/** Log-odds of the scored pixels of a window with the extension's trees added. */
function logitsOf(w: VerdictWindow, trees: Tree[], nf: number): Float64Array {
  if (trees.length === 0) return w.shippedLogit;
  const ext = { base: 0, trees };
  return w.shippedLogit.map((s, r) => s + predictLogit(ext, w.rows, r * nf));
}

/** Confusion counts [tp, fp, fn, tn]. */
export type Confusion = [number, number, number, number];

/**
 * Confusion counts of the decision (box-averaged probability over `cut`, as the detector
 * decides) on a window's labelled pixels; unjudged background counts as unchanged.
 */
function confusion(
  w: VerdictWindow,
  logits: Float64Array,
  smoothRadius: number,
  cut: number,
  acc: Confusion,
): void {
  const p = new Float32Array(w.width * w.height);
  w.scored.forEach((i, r) => (p[i] = 1 / (1 + Math.exp(-logits[r]))));
  const avg = boxMean(p, w.width, w.height, smoothRadius);
  const scored = new Uint8Array(p.length);
  for (const i of w.scored) scored[i] = 1;
  for (let i = 0; i < p.length; i++) {
    const t = w.label[i];
    if (t < 0) continue;
    const pred = scored[i] && avg[i] > cut;
    const truth = t === 1;
    acc[pred ? (truth ? 0 : 1) : truth ? 2 : 3]++;
  }
}

/** Adds a model's (the shipped one with `ext`) confusion counts on some windows to `acc`. */
export function addWindowConfusion(
  shipped: LearnedClassifier,
  ext: ModelExtension,
  windows: VerdictWindow[],
  acc: Confusion,
): Confusion {
  const nf = shipped.features.length;
  for (const w of windows)
    confusion(w, logitsOf(w, ext.trees, nf), shipped.smoothRadius, ext.cut, acc);
  return acc;
}

/** Pixel scores of a model (the shipped one with `ext`) on some windows. */
export function windowScores(
  shipped: LearnedClassifier,
  ext: ModelExtension,
  windows: VerdictWindow[],
): Scores {
  return scoresOf(...addWindowConfusion(shipped, ext, windows, [0, 0, 0, 0]));
}

/** The shipped model unchanged, as an extension: no trees, its own cut-off. */
export const noExtension = (shipped: LearnedClassifier): ModelExtension => ({
  trees: [],
  cut: shipped.cut,
});

export interface Fitted {
  extension: ModelExtension;
  /** Labelled pixels the trees were trained on. */
  trainingPixels: number;
}

/**
 * Fits an extension of the shipped model to judged windows. Labels: judged change 1, judged
 * no change 0, background 0 at BACKGROUND_WEIGHT of a judged pixel's weight.
 */
export function fitExtension(
  shipped: LearnedClassifier,
  windows: VerdictWindow[],
  opts: AdaptOptions = {},
): Fitted {
  const nf = shipped.features.length;
  const labelled = windows.map((w) => {
    let k = 0;
    for (const i of w.scored) if (w.label[i] >= 0) k++;
    return k;
  });
  const n = labelled.reduce((a, b) => a + b, 0);
  const perWindow = n / Math.max(1, windows.length);
  const X = new Float32Array(n * nf);
  const Y = new Uint8Array(n);
  const W = new Float32Array(n);
  const init = new Float64Array(n);
  let r = 0;
  windows.forEach((w, k) => {
    // Per 图斑: the window's pixels share the weight of an average window's.
    const scale = opts.perOutline ? perWindow / labelled[k] : 1;
    w.scored.forEach((i, j) => {
      const t = w.label[i];
      if (t < 0) return;
      X.set(w.rows.subarray(j * nf, (j + 1) * nf), r * nf);
      Y[r] = t === 1 ? 1 : 0;
      W[r] = (t === 2 ? BACKGROUND_WEIGHT : 1) * scale;
      init[r] = w.shippedLogit[j];
      r++;
    });
  });
  let trees: Tree[] = [];
  // Labels of one class only (every verdict a false alarm) are learnable too: the trees start
  // from the shipped scores, not from a prior.
  if (!opts.cutOnly && n > 0) {
    const m = trainGbdt(X, Y, nf, { ...ADAPT_TRAIN, ...opts.train }, W, undefined, init);
    // float32 as the shipped file stores them: inference (compiled-trees.ts) compares float32.
    trees = m.trees.map((t) => ({
      ...t,
      threshold: t.threshold.map((v) => Math.fround(v)),
      value: t.value.map((v) => Math.fround(v)),
    }));
  }
  let cut = shipped.cut;
  if (opts.recut || opts.cutOnly) {
    const f1 = CUTS.map((c) => windowScores(shipped, { trees, cut: c }, windows).f1);
    const best = Math.max(...f1);
    // Ties (a flat stretch of F1): the cut nearest the shipped one, the smallest move.
    cut = CUTS.filter((_, k) => f1[k] === best).reduce((a, c) =>
      Math.abs(c - shipped.cut) < Math.abs(a - shipped.cut) ? c : a,
    );
  }
  return { extension: { trees, cut }, trainingPixels: n };
}
