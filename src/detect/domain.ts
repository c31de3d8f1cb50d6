/**
 * What the detector knows about imagery like this (issue 23): each run compares the scene's
 * radiometry with that of the scenes its classifier learned on, or its rules were tuned on,
 * and says in-domain, borderline or out-of-domain with the numbers.
 *
 * The statistics are those the learned features already standardise by (features.ts,
 * sceneStats): per date and band the median and the 10–90 % spread, here in reflectance for
 * calibrated sensors (DNs for rgb), on a log scale (a scene twice as bright is as far from the
 * training as one half as bright). The reference is their mean and standard deviation over
 * the training dates, stored with the shipped model (`domain`, written by
 * `npm run domain:detect` from the same scenes `npm run train:detect` names in `trainedOn`,
 * without retraining). A date's distance is the root mean square of its statistics'
 * z-scores; the scene's is the larger of its two dates'.
 */
import { shippedClassifier, LEARNED_SENSORS } from './learned/shipped.ts';
import type { DomainReference, LearnedClassifier } from './learned/classifier.ts';
import { sceneStats } from './learned/features.ts';
import type { SensorId } from './profiles.ts';
import type { ChangeModel, PairSample } from './types.ts';

export type { DomainReference } from './learned/classifier.ts';

/** Up to IN_DOMAIN: in-domain; up to BORDERLINE: borderline; beyond: out-of-domain. */
export const IN_DOMAIN = 2.5;
export const BORDERLINE = 3.5;
/** Least standard deviation a statistic is scored against (log units: about 5 %). */
const SD_FLOOR = 0.05;

export interface DomainReport {
  verdict: 'in-domain' | 'borderline' | 'out-of-domain' | 'unknown';
  /** RMS z-score of the farther date against the training statistics. */
  distance?: number;
  /** The statistic farthest from the training, and its z-score. */
  worst?: { stat: string; z: number };
  /** The scene's statistics, per date ([before, after]), in the reference's order. */
  vectors?: [number[], number[]];
  /** What the decision was made from: the classifier and the data it learned or was tuned on. */
  basis: string;
  note: string;
}

const BANDS = ['blue', 'green', 'red', 'nir'];

/** The statistics' names for `n` bands (blue, green, red, nir). */
export function statNames(n: number): string[] {
  return [
    ...BANDS.slice(0, n).map((b) => `ln_median_${b}`),
    ...BANDS.slice(0, n).map((b) => `ln_spread_${b}`),
  ];
}

/** The scene's statistics, per date, for the bands the model describes. */
export function domainVectors(
  model: ChangeModel,
  sample: PairSample,
): { names: string[]; vectors: [number[], number[]] } {
  const s = sceneStats(model, sample);
  const names = statNames(s.centre[0].length);
  const rad = model.radiometry;
  const vectors = ([0, 1] as const).map((d) => {
    const r = rad ? (d === 0 ? rad.before : rad.after) : { zero: 0, scale: 1 };
    return [
      ...s.centre[d].map((c) => Math.log(Math.max(c - r.zero, r.scale * 1e-3) / r.scale)),
      ...s.spread[d].map((v) => Math.log(Math.max(v, r.scale * 1e-4) / r.scale)),
    ];
  }) as [number[], number[]];
  return { names, vectors };
}

/** A date's RMS z-score against the reference, with its worst statistic. */
export function dateDistance(
  ref: DomainReference,
  v: number[],
): { distance: number; worst: { stat: string; z: number } } {
  let s = 0;
  let worst = { stat: ref.stats[0], z: 0 };
  v.forEach((x, i) => {
    const z = (x - ref.mean[i]) / Math.max(ref.sd[i], SD_FLOOR);
    s += z * z;
    if (Math.abs(z) > Math.abs(worst.z)) worst = { stat: ref.stats[i], z };
  });
  return { distance: Math.sqrt(s / v.length), worst };
}

/** What each sensor's rules were tuned on (src/detect/README.md, EVALUATION.md). */
const RULES_TUNED_ON: Record<SensorId, string> = {
  s2: "the rules, tuned on OSCD's 12 Sentinel-2 L1C cities (2015–2018) and synthetic scenes",
  rgb: "the rules, tuned on LEVIR-CD's 0.5 m aerial RGB samples (Texas)",
  landsat: 'the rules with IR-MAD, tuned on one Landsat 5 TM scene (Nanjing)',
  'landsat-oli':
    'the rules with IR-MAD, tuned on one Landsat 5 TM scene (Nanjing); never checked on OLI',
  gf: 'the rules with IR-MAD, tuned on one Landsat 5 TM scene (Nanjing); never checked on Gaofen/ZY-3',
};

/**
 * The run's domain report: the learned classifier against its own training statistics; the
 * rules against those of the data they were tuned on where a shipped model of that data
 * carries them (s2: OSCD, rgb: LEVIR), else only what they were tuned on.
 */
export function domainReport(
  sensor: SensorId,
  learned: LearnedClassifier | null,
  model: ChangeModel,
  sample: PairSample,
): DomainReport {
  const basis = learned
    ? `the learned classifier, trained on ${learned.trainedOn.length} scenes (${learned.trainedOn.join(', ')})`
    : RULES_TUNED_ON[sensor];
  const ref =
    learned?.domain ??
    (!learned && LEARNED_SENSORS.includes(sensor) ? shippedClassifier(sensor).domain : undefined);
  const vectors =
    model.masks.blue >= 0 && sample.before[0].length > 0
      ? domainVectors(model, sample).vectors
      : undefined;
  if (!ref || !vectors || vectors[0].length !== ref.stats.length)
    return {
      verdict: 'unknown',
      ...(vectors ? { vectors } : {}),
      basis,
      note: `domain unknown: ${basis}; no statistics of that data${ref ? ' on these bands' : ''} to compare this scene with`,
    };
  const [a, b] = vectors.map((v) => dateDistance(ref, v));
  const far = b.distance > a.distance ? b : a;
  const verdict =
    far.distance <= IN_DOMAIN
      ? 'in-domain'
      : far.distance <= BORDERLINE
        ? 'borderline'
        : 'out-of-domain';
  const note = `${verdict}: radiometry ${far.distance.toFixed(2)} training standard deviations (RMS over ${ref.stats.length} band statistics, the farther date; in-domain ≤ ${IN_DOMAIN}, borderline ≤ ${BORDERLINE}, training dates ≤ ${ref.maxTraining.toFixed(2)}) from the ${ref.dates} dates of ${basis}; farthest ${far.worst.stat} z = ${far.worst.z.toFixed(2)}${verdict === 'in-domain' ? '' : verdict === 'borderline' ? ': check its polygons before trusting its misses' : ': the scores EVALUATION.md reports do not apply to this scene'}`;
  return {
    verdict,
    distance: far.distance,
    worst: far.worst,
    vectors,
    basis,
    note,
  };
}

/** The reference of a set of training dates' statistics (npm run domain:detect). */
export function domainReference(names: string[], dates: number[][]): DomainReference {
  const mean = names.map((_, i) => dates.reduce((s, v) => s + v[i], 0) / dates.length);
  const sd = names.map((_, i) =>
    Math.sqrt(dates.reduce((s, v) => s + (v[i] - mean[i]) ** 2, 0) / Math.max(1, dates.length - 1)),
  );
  const round = (x: number): number => Math.round(x * 1e4) / 1e4;
  const ref: DomainReference = {
    stats: names,
    mean: mean.map(round),
    sd: sd.map(round),
    dates: dates.length,
    maxTraining: 0,
  };
  ref.maxTraining = round(Math.max(...dates.map((v) => dateDistance(ref, v).distance)));
  return ref;
}
