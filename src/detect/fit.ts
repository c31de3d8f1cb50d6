import { GengbaoError } from '../errors.ts';
import type { PixelWindow } from '../raster/grid.ts';
import { fitChangeModel } from './calibrate.ts';
import { checkLearnedFits, sceneStats } from './learned/features.ts';
import { validOnBothDates } from './masks.ts';
import type { OpenedPair } from './open-pair.ts';
import type { DetectProgress } from './options.ts';
import { readPairWindow, type PairWindow, type ScenePair } from './pair-reader.ts';
import type { DetectConfig } from './profiles.ts';
import {
  baselineHint,
  offsetAlreadyRemoved,
  radiometryNote,
  type DateRadiometry,
} from './radiometry.ts';
import type { ChangeModel, MaskBands, PairRadiometry, PairSample } from './types.ts';
import { sampleWindows } from './windows.ts';

/**
 * Calibration sample with the learned classifier, whose features are standardised by the
 * scene's band quantiles and ranked among its magnitudes (features.ts, sceneStats). Training
 * takes those from every pixel of a city; with 2^18 a city's score moved with the windows
 * the sample was drawn from (beirut 0.374 or 0.403). 2^20 takes every pixel of a scene up to
 * a million and four times as many elsewhere, for a second of fitting next to the minute
 * the classifier takes on a 10980² tile.
 */
const LEARNED_SAMPLE = 1 << 20;

/** Pixels sampled to fit the model: 2^18 (ample for a few parameters per band), or LEARNED_SAMPLE. */
export function sampleSizeOf(opts: { sampleSize?: number }, config: DetectConfig): number {
  return opts.sampleSize ?? (config.learned ? LEARNED_SAMPLE : 1 << 18);
}

/** Each date's radiometry as the change model carries it. */
export const pairOf = (d: [DateRadiometry, DateRadiometry] | null): PairRadiometry | null =>
  d && { before: d[0], after: d[1] };

export interface FittedModel {
  model: ChangeModel;
  sample: PairSample;
  /** What was applied to the dates' values, or the offset to pass (radiometry.ts). */
  radiometryNote?: string;
}

/**
 * Stages "sample" and "fit": draw the calibration sample from windows spread over the scene,
 * check the dates' offsets against it (one found already removed is dropped and the sample
 * drawn again), and fit the change model (calibrate.ts) and the learned classifier's scene
 * statistics.
 */
export async function fitModel(
  { pair, roles, masks, before, after }: OpenedPair,
  windows: PixelWindow[],
  resolved: [DateRadiometry, DateRadiometry] | null,
  config: DetectConfig,
  sampleSize: number,
  progress: (p: DetectProgress) => void,
): Promise<FittedModel> {
  const picked = sampleWindows(windows, pair.alignment.window, sampleSize);
  const nodata = { before: before.nodata, after: after.nodata };
  let dates = resolved;
  const draw = (): Promise<PairSample> =>
    collectSample(pair, picked, roles.length, masks, pairOf(dates), nodata, sampleSize, (d) =>
      progress({ phase: 'sample', done: d, total: picked.length }),
    );
  let sample = await draw();
  let note: string | undefined;
  if (dates) {
    const checked = offsetAlreadyRemoved(dates, sample, masks.blue, [
      before.location,
      after.location,
    ]);
    // The validity tests drew the sample under the dropped offset: draw it again (rare).
    if (checked.some((r, d) => r !== dates![d])) {
      dates = checked;
      sample = await draw();
    }
    note = radiometryNote(dates, config.reflectanceScale as number, baselineHint(dates, sample));
  }
  if (sample.before[0].length === 0)
    throw new GengbaoError(
      'bad_input',
      `no pixel is valid on both dates (nodata, clouds, SCL or QA_PIXEL) in ${before.location} and ${after.location}`,
      { field: 'before' },
    );
  const model = fitChangeModel(sample, roles, masks, config, nodata, pairOf(dates));
  if (config.learned) {
    checkLearnedFits(config.learned, model, sample, `${before.location} / ${after.location}`);
    model.learnedStats = sceneStats(model, sample);
  }
  return { model, sample, radiometryNote: note };
}

/**
 * The calibration sample: up to ⌈size / windows⌉ pixels valid on both dates from each window,
 * spread evenly over its valid pixels. Exported for its test.
 */
export async function collectSample(
  pair: ScenePair,
  windows: PixelWindow[],
  nb: number,
  masks: MaskBands,
  radiometry: PairRadiometry | null,
  nodata: { before: number | null; after: number | null },
  size: number,
  tick: (done: number) => void,
): Promise<PairSample> {
  const per = Math.ceil(size / windows.length);
  const before = Array.from({ length: nb }, () => new Float32Array(size + per));
  const after = Array.from({ length: nb }, () => new Float32Array(size + per));
  let m = 0;
  let done = 0;
  // Each window's bands are read into the last one's arrays: fresh ones, paged in by the OS
  // for every window, cost more than the reading itself.
  let reuse: PairWindow | undefined;
  for (const w of windows) {
    const p = await readPairWindow(pair, w, reuse);
    reuse = p;
    const n = w.width * w.height;
    const ok = validOnBothDates(
      { masks, nodataBefore: nodata.before, nodataAfter: nodata.after, radiometry },
      p.before,
      p.after,
      n,
    );
    let valid = 0;
    for (let i = 0; i < n; i++) valid += ok[i];
    // `take` of the window's valid pixels, evenly spread: the k-th is taken when ⌊k·take/valid⌋
    // steps up. A whole-number stride took every pixel of a window holding less than twice
    // its share, and the last windows of the scene were then cut short by the cap.
    const take = Math.min(per, valid);
    let k = 0;
    for (let i = 0; i < n && m < size + per; i++) {
      if (!ok[i]) continue;
      const step = Math.floor(((k + 1) * take) / valid) - Math.floor((k * take) / valid);
      k++;
      if (step === 0) continue;
      for (let b = 0; b < nb; b++) {
        before[b][m] = p.before[b][i];
        after[b][m] = p.after[b][i];
      }
      m++;
    }
    tick(++done);
  }
  return { before: before.map((a) => a.subarray(0, m)), after: after.map((a) => a.subarray(0, m)) };
}
