/**
 * How each date's stored numbers map to reflectance, for sensors whose profile works in
 * calibrated reflectance (DetectConfig.reflectanceScale, Sentinel-2).
 *
 * Why it matters: from processing baseline 04.00 (25 January 2022; every Collection-1
 * reprocessed product too) ESA adds 1000 to every stored Sentinel-2 value, Level-1C and
 * Level-2A alike: reflectance = (DN − 1000) / 10000, where it was DN / 10000. Planetary
 * Computer, Earth Search and most downloads serve the values as stored. Read as before, the
 * absolute cloud test (reflectance 0.25) fires at 0.15, masking new roofs and bright soil, the
 * shadow test never fires, and the learned classifier's vegetation indices and brightness
 * shift: on OSCD with the offset added to the after date only — a pair across January 2022 —
 * the shipped learned classifier's mean F1 fell from 0.492 to 0.390 (in-sample), and abudhabi's
 * rules F1 from 0.182 to 0.078 with it added to both. The relative steps (normalisation between
 * the dates, the change magnitude, dark-object subtraction before band ratios) do not see it.
 */
import { GengbaoError } from '../errors.ts';
import type { RasterScene } from '../raster/scene-source.ts';
import { quantile } from '../raster/threshold.ts';
import type { DetectConfig } from './profiles.ts';
import type { PairSample, Radiometry, PairRadiometry } from './types.ts';

/**
 * ESA's additive offset per date, in stored units (BOA_ADD_OFFSET / RADIO_ADD_OFFSET: −1000
 * from processing baseline 04.00, 0 before); given, it overrides what the files say.
 */
export interface AddOffsets {
  before?: number;
  after?: number;
}

/**
 * How a date's radiometry was decided: given by the caller, declared by its files, inferred
 * from its product name, inferred but found already removed, or nothing said.
 */
type Source = 'given' | 'declared' | 'product' | 'removed' | 'none';

/** One date's radiometry and where it came from (for the run's note). */
export interface DateRadiometry extends Radiometry {
  source: Source;
  why: string;
}

/** Offset of products from processing baseline 04.00 on (ESA, Sentinel-2 products specification). */
const BASELINE_4_ZERO = 1000;

/**
 * The processing baseline in a Sentinel-2 product name anywhere in a path or URL
 * (S2B_MSIL2A_20230415T030539_N0509_R075_T50SKF_…: 05.09), or undefined.
 */
export function baselineOf(location: string): number | undefined {
  const m = /S2[A-D]_MSIL(?:1C|2A)_\d{8}T\d{6}_N(\d{2})(\d{2})/i.exec(location);
  return m ? Number(m[1]) + Number(m[2]) / 100 : undefined;
}

const LABELS = ['before', 'after'] as const;

function resolveDate(
  scene: RasterScene,
  bands: string[],
  scale: number,
  given: number | undefined,
  label: string,
): DateRadiometry {
  if (given !== undefined) {
    if (!Number.isFinite(given))
      throw new GengbaoError('bad_input', `${label} offset must be a number, got ${given}`, {
        field: 'addOffset',
      });
    return { zero: -given, scale, source: 'given', why: 'as given' };
  }
  const declared = bands.map((b) => scene.scaling?.[b]);
  const first = declared[0];
  if (declared.some(Boolean)) {
    const same = declared.every(
      (s) =>
        s &&
        first &&
        Math.abs(s.scale - first.scale) <= 1e-6 * Math.abs(first.scale) &&
        Math.abs(s.offset - first.offset) <= 1e-6 * Math.abs(first.scale),
    );
    if (!same || !first)
      throw new GengbaoError(
        'bad_input',
        `${scene.location}: its bands declare different scalings (${bands
          .map(
            (b, i) =>
              `${b} ${declared[i] ? `× ${declared[i].scale} + ${declared[i].offset}` : 'none'}`,
          )
          .join(', ')}); give every band the same, or none`,
        { field: label },
      );
    return {
      zero: -first.offset / first.scale,
      scale: 1 / first.scale,
      source: 'declared',
      why: 'declared in the file',
    };
  }
  const baseline = baselineOf(scene.location);
  if (baseline !== undefined)
    return {
      zero: baseline >= 4 ? BASELINE_4_ZERO : 0,
      scale,
      source: 'product',
      why: `processing baseline ${baseline.toFixed(2).padStart(5, '0')} in the product name`,
    };
  return { zero: 0, scale, source: 'none', why: '' };
}

/**
 * Each date's radiometry, for `bands` (the spectral bands read, per date): the caller's
 * offsets when given, else a scaling the files declare (all bands alike), else the processing
 * baseline of a Sentinel-2 product name in the location, else the profile's plain scale.
 * Null for profiles that work on uncalibrated DNs, which refuse given offsets.
 */
export function resolveRadiometry(
  scenes: [RasterScene, RasterScene],
  bands: [string[], string[]],
  config: DetectConfig,
  sensor: string,
  given: AddOffsets = {},
): [DateRadiometry, DateRadiometry] | null {
  const scale = config.reflectanceScale;
  if (scale === null) {
    if (given.before !== undefined || given.after !== undefined)
      throw new GengbaoError(
        'bad_input',
        `the ${sensor} profile compares uncalibrated DNs, so a radiometric offset does not apply; offsets are for calibrated reflectance (s2)`,
        { field: 'addOffset' },
      );
    return null;
  }
  return [0, 1].map((d) =>
    resolveDate(scenes[d], bands[d], scale, [given.before, given.after][d], LABELS[d]),
  ) as [DateRadiometry, DateRadiometry];
}

/**
 * Reflectance cannot be negative over much of a scene: when a twentieth of a date's sampled
 * blue values lie below its zero, its offset was already taken out (a harmonised product, or
 * a conversion that applied it). An offset inferred from a product name is then dropped (the
 * date's source becomes 'removed'); one given or declared is refused. Returns the dates,
 * amended or as they were.
 */
export function offsetAlreadyRemoved(
  dates: [DateRadiometry, DateRadiometry],
  sample: PairSample,
  blue: number,
  locations: [string, string],
): [DateRadiometry, DateRadiometry] {
  return dates.map((r, d) => {
    const values = (d === 0 ? sample.before : sample.after)[blue];
    if (r.zero <= 0 || values.length === 0 || quantile(values, 0.05) >= r.zero) return r;
    const what = `${locations[d]}: a twentieth of its blue values read below ${r.zero}, reflectance 0 under the offset ${-r.zero} (${r.why})`;
    if (r.source !== 'product')
      throw new GengbaoError(
        'bad_input',
        `${what}: the values look offset-corrected already; give the ${LABELS[d]} offset as 0`,
        { field: 'addOffset' },
      );
    return { zero: 0, scale: r.scale, source: 'removed', why: `${what}: taken as already removed` };
  }) as [DateRadiometry, DateRadiometry];
}

/**
 * When neither date was told anything but one reads about 1000 higher than the other in
 * every band at its darkest (1 % quantiles) — the signature of a pair across processing
 * baseline 04.00, which haze, strongest in blue, does not mimic — which offset to pass.
 */
export function baselineHint(
  dates: [DateRadiometry, DateRadiometry],
  sample: PairSample,
): string | undefined {
  if (dates.some((r) => r.source !== 'none') || (sample.before[0]?.length ?? 0) === 0) return;
  const shift = sample.before.map((v, b) => quantile(sample.after[b], 0.01) - quantile(v, 0.01));
  const near = (s: number): boolean => Math.abs(Math.abs(s) - BASELINE_4_ZERO) < 400;
  if (!shift.every(near) || !shift.every((s) => Math.sign(s) === Math.sign(shift[0]))) return;
  const [later, earlier] = shift[0] > 0 ? ['after', 'before'] : ['before', 'after'];
  return `the ${later} date reads about ${BASELINE_4_ZERO} higher than the ${earlier} in every band, as Sentinel-2 products from processing baseline 04.00 (25 January 2022) on do: if it is such a product, pass --${later}-offset -${BASELINE_4_ZERO}`;
}

/** What the run says about the dates' radiometry: each date not read at the profile's plain scale, and the hint. */
export function radiometryNote(
  dates: [DateRadiometry, DateRadiometry],
  plainScale: number,
  hint?: string,
): string | undefined {
  const said = dates.flatMap((r, d) => {
    if (r.source === 'removed') return [r.why];
    if (r.zero === 0 && r.scale === plainScale) return [];
    const zero = Number(r.zero.toPrecision(6));
    return [
      `${LABELS[d]}: reflectance = (DN ${zero >= 0 ? '−' : '+'} ${Math.abs(zero)}) / ${Number(r.scale.toPrecision(6))} (${r.why})`,
    ];
  });
  if (hint) said.push(hint);
  return said.length > 0 ? said.join('; ') : undefined;
}

/** A before date's stored value in the after date's units: the same reflectance (`v` itself without radiometry). */
export function inAfterUnits(r: PairRadiometry | null, v: number): number {
  return r ? ((v - r.before.zero) / r.before.scale) * r.after.scale + r.after.zero : v;
}

/** The profile's own reading of stored values on both dates (no offset), or null for DN profiles. */
export function plainRadiometry(config: DetectConfig): PairRadiometry | null {
  const scale = config.reflectanceScale;
  return scale === null ? null : { before: { zero: 0, scale }, after: { zero: 0, scale } };
}
