import type { SceneStats } from './learned/features.ts';
import type { MaskBands } from './masks.ts';
import type { DetectConfig, Role } from './profiles.ts';
import type { PairRadiometry } from './radiometry.ts';

/**
 * Everything a window needs to be classified, fitted once per scene pair (see calibrate.ts)
 * and shipped to workers as plain data.
 */
export interface ChangeModel {
  /** Spectral roles, in the order bands are passed (SCL, when present, follows them). */
  roles: Role[];
  masks: MaskBands;
  nodataBefore: number | null;
  nodataAfter: number | null;
  /**
   * Each date's reflectance = (stored − zero) / scale (radiometry.ts), for the absolute tests
   * and the learned classifier's features; null for sensors read as uncalibrated DNs.
   */
  radiometry: PairRadiometry | null;
  /** Relative radiometric normalisation of the after date onto the before date: a' = gain·a + offset. */
  gain: number[];
  offset: number[];
  /** Robust standard deviation of the normalised difference per band (noise scale). */
  sigma: number[];
  /**
   * Dark-object values per band (0.1 % quantile of the before date), subtracted before band
   * ratios and vegetation indices: haze adds a roughly constant path radiance that would
   * otherwise bias them, most of all on uncalibrated DNs (Chavez 1988).
   */
  dark: number[];
  /**
   * IR-MAD transform (irmad.ts), when the sensor's `magnitude` is 'irmad': z is then the RMS of
   * the noise-scaled MAD variates instead of the CVA of the normalised bands.
   */
  mad?: { before: number[]; after: number[]; offset: number[] };
  /** The learned classifier's per-scene statistics (learned/features.ts), when one is configured. */
  learnedStats?: SceneStats;
  /** Change threshold on the noise-normalised change magnitude z. */
  threshold: number;
  config: DetectConfig;
}

/** Classes of the change raster. */
export const NO_CHANGE = 0;
export const BUILT = 1;
export const BARE = 2;
/** Vegetated before, soil-like after: seasonal unless its object is mostly built or bare. */
export const SEASONAL = 3;
export const CLASS_NAMES = ['none', 'built', 'bare'] as const;
