/** What `detectChanges` takes and gives (detect.ts), and the configuration it runs with. */
import type { DomainReport } from './domain.ts';
import { GengbaoError } from '../errors.ts';
import type { PixelWindow, RasterGrid } from '../raster/grid.ts';
import { MAX_SIMPLIFY_PX } from '../raster/simplify.ts';
import type { Chips } from './chips.ts';
import { classifierFor, gatedByDomain } from './learned/shipped.ts';
import type { ChangeFeature } from './polygons.ts';
import { profileOf, type DetectConfig, type SensorId, type SensorProfile } from './profiles.ts';
import type { AddOffsets } from './radiometry.ts';
import type { ChangeModel } from './types.ts';

export interface DetectProgress {
  phase: 'sample' | 'classify' | 'polygonize';
  done: number;
  total: number;
}

export interface DetectOptions {
  /** Sensor profile (band mapping and configuration); default s2. */
  sensor?: SensorId;
  /** Band names/numbers in the profile's role order (e.g. blue,green,red,nir). */
  bands?: string[];
  /** Overrides of the sensor configuration (configuration is data: a job or config file may set it). */
  config?: Partial<DetectConfig>;
  /**
   * Each date's additive radiometric offset in stored units, ESA's BOA_ADD_OFFSET /
   * RADIO_ADD_OFFSET (−1000 for Sentinel-2 from processing baseline 04.00): given, it overrides
   * what the files declare or their product names imply (radiometry.ts).
   */
  addOffset?: AddOffsets;
  /** Minimum mapping unit in m²; default from the sensor profile. */
  minAreaM2?: number;
  /**
   * Classify windows on this many worker threads (0 = on this thread). Workers reopen the
   * scenes by `location`, so in-memory scenes are always classified on this thread.
   */
  workers?: number;
  /** Douglas–Peucker tolerance in pixels (< 0.5, topology kept; 0 = exact pixel-edge outlines, the default). */
  simplifyPx?: number;
  /** Rows per window; default 256. */
  windowRows?: number;
  /**
   * Columns per window of a striped scene; default the whole width, or LEARNED_COLUMNS with
   * the learned classifier (whose feature planes take about 200 bytes per pixel).
   */
  windowColumns?: number;
  /**
   * Pixels sampled to fit the model; default 2^18 (ample for a few parameters per band), or
   * LEARNED_SAMPLE with the learned classifier.
   */
  sampleSize?: number;
  onProgress?: (p: DetectProgress) => void;
  /** Called for every polygon as soon as it is traced (stream them to a store or a file). */
  onPolygon?: (f: ChangeFeature, chips?: Chips) => void | Promise<void>;
  /** Render before/after PNG evidence chips for every polygon (passed to `onPolygon`). */
  chips?: boolean;
}

export interface DetectResult {
  /** The before grid (on the working resolution's pixels when averaged) and the processed window of it. */
  grid: RasterGrid;
  window: PixelWindow;
  /** Set when the grids differ: how after was put on the before grid. */
  alignmentNote?: string;
  /**
   * Set when a band folder's bands were on grids that are not whole multiples of its finest
   * band's: which were resampled onto it and how (src/raster/band-grids.ts).
   */
  bandGridNote?: string;
  /**
   * What the detector knows about imagery like this: the scene's radiometry against the data
   * its classifier learned on or its rules were tuned on (domain.ts), with `domain.note`.
   */
  domain: DomainReport;
  /** What decided which pixels changed. */
  classifier: 'rules' | 'learned';
  /** Set for an 'auto' run (DetectConfig.domainGate): which decided and why (gate.ts). */
  classifierNote?: string;
  /**
   * Set when the imagery was averaged onto the configuration's working resolution (then `grid`
   * is the before grid on those larger pixels), or is coarser than it (working-resolution.ts).
   */
  resolutionNote?: string;
  /**
   * Set when a date's values were not read at the profile's plain reflectance scale (an offset
   * given, declared or implied by a Sentinel-2 product name), or when the pair looks like one
   * across Sentinel-2's processing baseline 04.00 and nothing was said (radiometry.ts).
   */
  radiometryNote?: string;
  /** Final change classes over `window` (0 none, 1 built, 2 bare) after morphology and the MMU (the class raster, reused in place). */
  mask: Uint8Array;
  features: ChangeFeature[];
  model: ChangeModel;
  stats: {
    pixels: number;
    invalid: number;
    seasonal: number;
    greening: number;
    changed: number;
    components: number;
    belowMmu: number;
    /** Changed objects dropped as seasonal (mostly vegetated → soil pixels). */
    seasonalObjects: number;
  };
}

export type DetectStats = DetectResult['stats'];

/**
 * The sensor profile and its configuration with the options' overrides; refuses a minimum
 * area or a simplification tolerance out of range.
 */
export function resolveConfig(opts: DetectOptions): {
  profile: SensorProfile;
  config: DetectConfig;
} {
  const profile = profileOf(opts.sensor ?? 's2');
  const config: DetectConfig = {
    ...profile.config,
    ...opts.config,
    // `learned: null` asks for the rules; absent, the profile's default decides.
    learned: opts.config?.learned !== undefined ? opts.config.learned : classifierFor(profile.id),
    // Without a classifier given, the profile's default says whether the domain gates it.
    domainGate:
      opts.config?.domainGate ?? (opts.config?.learned === undefined && gatedByDomain(profile.id)),
    minAreaM2: opts.minAreaM2 ?? opts.config?.minAreaM2 ?? profile.config.minAreaM2,
  };
  if (!(config.minAreaM2 >= 0))
    throw new GengbaoError(
      'bad_input',
      `minimum area must be a number ≥ 0 m², got ${opts.minAreaM2}`,
      { field: 'minAreaM2' },
    );
  if (
    opts.simplifyPx !== undefined &&
    !(opts.simplifyPx >= 0 && opts.simplifyPx <= MAX_SIMPLIFY_PX)
  )
    throw new GengbaoError(
      'bad_input',
      `simplification tolerance must be 0–${MAX_SIMPLIFY_PX} px (under half a pixel keeps topology), got ${opts.simplifyPx}`,
      {
        field: 'simplify',
      },
    );
  return { profile, config };
}
