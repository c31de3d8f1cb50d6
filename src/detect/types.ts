/**
 * The plain data the detection stages hand each other (and ship to worker threads): the fitted
 * model, its band layout, each date's radiometry, the calibration sample and a window's counts.
 * Types only, importing no stage, so that any stage may use them without an import cycle.
 */
import type { DetectConfig, Role } from './profiles.ts';

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

/** Indices of the bands a validity test needs, within a window's band list. */
export interface MaskBands {
  blue: number;
  green: number;
  red: number;
  nir: number; // −1 when absent
  /** The quality band (Sentinel-2 SCL, Landsat QA_PIXEL), −1 when absent. */
  quality: number;
  qualityKind: 'scl' | 'qa-pixel';
  spectral: number; // how many spectral bands lead the list
}

/** One date's reflectance: (stored − zero) / scale. */
export interface Radiometry {
  /** The stored value of reflectance 0 (1000 for Sentinel-2 from processing baseline 04.00). */
  zero: number;
  /** Stored units per unit of reflectance (10000 for Sentinel-2). */
  scale: number;
}

/** Both dates' radiometry, as the change model carries it. */
export interface PairRadiometry {
  before: Radiometry;
  after: Radiometry;
}

/** Pixels valid on both dates, sampled across the scene: one array per spectral band. */
export interface PairSample {
  before: Float32Array[];
  after: Float32Array[];
}

/**
 * Per-scene statistics the features are standardised by, from the pair's calibration sample
 * (pixels valid on both dates, drawn across the whole scene), so that every window of a scene
 * is described on the same scale.
 */
export interface SceneStats {
  /** Median per date ([before, after]) and band (blue, green, red and nir if any), raw values. */
  centre: [number[], number[]];
  /** 90 % minus 10 % quantile, same layout. */
  spread: [number[], number[]];
  /** RANKS + 1 quantiles (0, 1/RANKS, … 1) of the magnitude over the sample. */
  magnitude: number[];
}

/** The change classes and scores of one window, plus counts for the run report. */
export interface WindowResult {
  /** 0 none, 1 built, 2 bare, 3 seasonal candidate (see model.ts). */
  cls: Uint8Array;
  /**
   * z·10 clamped to 255: the change magnitude in tenths of a noise standard deviation, set for
   * candidates (the only pixels anything downstream reads it for), 0 elsewhere.
   */
  score: Uint8Array;
  invalid: number;
  seasonal: number;
  greening: number;
}

/** A window's counts for the run report, its classes and scores being written elsewhere. */
export type WindowCounts = Omit<WindowResult, 'cls' | 'score'>;
