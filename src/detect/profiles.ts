import { GengbaoError } from '../errors.ts';
import type { LearnedClassifier } from './learned/classifier.ts';

/**
 * Roles the detector reads: spectral bands and a quality band, Sentinel-2's scene
 * classification layer (`scl`) or Landsat Collection 2's QA_PIXEL bits (`qa`).
 */
export type Role = 'blue' | 'green' | 'red' | 'nir' | 'swir1' | 'swir2' | 'scl' | 'qa';
export type SensorId = 's2' | 'landsat' | 'landsat-oli' | 'gf' | 'rgb';

/**
 * One configuration per sensor — never per scene. Thresholds on indices are dimensionless;
 * `reflectanceScale` (the stored value of reflectance 1.0) enables absolute cloud/shadow tests.
 */
export interface DetectConfig {
  /** Stored value of reflectance 1.0, or null for uncalibrated DNs (then only relative tests run). */
  reflectanceScale: number | null;
  /**
   * Change magnitude z: 'cva' — RMS of the noise-whitened differences after PIF normalisation;
   * 'irmad' — RMS of the noise-scaled IR-MAD variates (Nielsen 2007; see README).
   */
  magnitude: 'cva' | 'irmad';
  /** Kittler–Illingworth or Otsu on the noise-normalised change magnitude. */
  threshold: 'ki' | 'otsu';
  /** Lowest accepted threshold, in noise standard deviations: a scene without change must stay empty. */
  minZ: number;
  /**
   * Hysteresis ratio (Canny 1986): pixels above ratio·threshold are kept when 4-connected to a
   * pixel above the threshold, which grows real changes to their full extent without letting
   * isolated noise in. 1 disables it.
   */
  hysteresis: number;
  /** Vegetation index at or above which a pixel counts as vegetated (NDVI; GRVI for RGB). */
  vegetated: number;
  /** After-date blue/red ratio at or above which a non-vegetated surface counts as built (flat, grey spectrum). */
  builtBlueRed: number;
  /** Reject changes whose after date is greener than the before date or vegetated (regrowth, crop greening). */
  rejectGreening: boolean;
  /** Reject vegetated → soil-like changes as seasonal (harvest, ploughing). */
  rejectSeasonal: boolean;
  /** Before-date vegetation index above which a vegetated → soil change counts as seasonal (a dense green crop). */
  seasonalVegetated: number;
  /** Structuring-element radius (pixels) of the opening and of the closing. */
  openRadius: number;
  closeRadius: number;
  /** Minimum mapping unit, m². */
  minAreaM2: number;
  /**
   * Ground resolution (m) the configuration was made for, or null for the imagery's own.
   * Finer imagery is averaged onto it, k × k pixels (working-resolution.ts): a classifier
   * trained at 0.5 m reads a 5 cm drone frame's roof as a field of flat texture, and its
   * radii and context boxes, counted in pixels, would span a tenth of the ground.
   */
  workingResolutionM: number | null;
  /**
   * A trained per-pixel classifier (learned/classify-learned.ts) that replaces the
   * threshold-and-rules decision; null or absent keeps the rules. Trained for one sensor only.
   */
  learned?: LearnedClassifier | null;
  /**
   * With `learned`: decide with it only where the scene is not out-of-domain for it (domain.ts)
   * and it can read the scene; elsewhere with the rules (the 'auto' choice, detect.ts).
   */
  domainGate?: boolean;
}

export interface SensorProfile {
  id: SensorId;
  /** Roles in the order `--bands` lists them. */
  order: Role[];
  required: Role[];
  /** Band names per role in a per-band folder (first present wins). */
  folder: Partial<Record<Role, string[]>>;
  /** Default 1-based band numbers per role in a multiband file. */
  multiband: Partial<Record<Role, string>>;
  config: DetectConfig;
  /**
   * The decision a run makes unless told otherwise: the rules, the learned classifier shipped
   * for the sensor (learned/shipped.ts), or 'auto': the learned classifier where the scene is
   * in-domain or borderline for it, the rules where it is out-of-domain or cannot be read by it.
   * Chosen per sensor on held-out evidence (EVALUATION.md, "Held out"): on OSCD's cities, each
   * scored without being seen, the learned s2 classifier beat the rules and CVA + Otsu even on
   * the one city out of its domain (abudhabi), so s2 is 'learned'; the learned rgb classifier,
   * held out by LEVIR source image, beat both there, but on imagery of another kind (Landsat's
   * red, green and blue) the rules did far better, so rgb is 'auto'.
   */
  classifier: ClassifierChoice;
}

/** How a run decides which pixels changed (`--classifier`, the detection job's `classifier`). */
export type ClassifierChoice = 'rules' | 'learned' | 'auto';
export const CLASSIFIER_CHOICES: readonly ClassifierChoice[] = ['rules', 'learned', 'auto'];

const SPECTRAL: Role[] = ['blue', 'green', 'red', 'nir', 'swir1', 'swir2'];

/**
 * Uncalibrated digital numbers (Landsat archives, aerial RGB): no absolute cloud test, and the
 * spectral rules off because NDVI and band ratios of DNs carry haze and gain (see README).
 */
const DN_CONFIG: DetectConfig = {
  reflectanceScale: null,
  magnitude: 'cva',
  threshold: 'ki',
  minZ: 3,
  hysteresis: 0.8,
  vegetated: 0.3,
  builtBlueRed: 0.78,
  rejectGreening: false,
  rejectSeasonal: false,
  seasonalVegetated: 0.5,
  openRadius: 0,
  closeRadius: 1,
  minAreaM2: 1800,
  workingResolutionM: null,
};

/**
 * Landsat DNs: change magnitude from IR-MAD, which is invariant to each date's gain and offset
 * (no regression on invariant pixels to get wrong) and weighs the six bands by how well they
 * agree on unchanged ground; its z is on a slightly different scale from the CVA's, hence
 * the lower floor (see README for how both were chosen).
 */
const LANDSAT_CONFIG: DetectConfig = { ...DN_CONFIG, magnitude: 'irmad', minZ: 2.5 };

export const PROFILES: Record<SensorId, SensorProfile> = {
  s2: {
    id: 's2',
    order: [...SPECTRAL, 'scl'],
    required: ['blue', 'green', 'red', 'nir'],
    folder: {
      blue: ['B02', 'B2'],
      green: ['B03', 'B3'],
      red: ['B04', 'B4'],
      nir: ['B08', 'B8'],
      swir1: ['B11'],
      swir2: ['B12'],
      scl: ['SCL'],
    },
    multiband: { blue: '1', green: '2', red: '3', nir: '4' },
    classifier: 'learned',
    config: {
      reflectanceScale: 10000,
      magnitude: 'cva',
      threshold: 'ki',
      minZ: 4,
      hysteresis: 0.8,
      vegetated: 0.3,
      builtBlueRed: 0.78,
      rejectGreening: true,
      rejectSeasonal: true,
      seasonalVegetated: 0.5,
      openRadius: 0,
      closeRadius: 1,
      minAreaM2: 400,
      workingResolutionM: null,
    },
  },
  // Landsat 4/5 TM and 7 ETM+: 1 blue, 2 green, 3 red, 4 NIR, 5 SWIR1, 7 SWIR2 (6 is thermal).
  landsat: {
    id: 'landsat',
    order: [...SPECTRAL, 'qa'],
    required: ['blue', 'green', 'red', 'nir'],
    folder: {
      blue: ['B1'],
      green: ['B2'],
      red: ['B3'],
      nir: ['B4'],
      swir1: ['B5'],
      swir2: ['B7'],
      qa: ['QA_PIXEL'],
    },
    // A stack of the six reflective bands (thermal left out), as most archives ship TM.
    multiband: { blue: '1', green: '2', red: '3', nir: '4', swir1: '5', swir2: '6' },
    config: LANDSAT_CONFIG,
    classifier: 'rules',
  },
  // Landsat 8/9 OLI: 2 blue, 3 green, 4 red, 5 NIR, 6 SWIR1, 7 SWIR2.
  'landsat-oli': {
    id: 'landsat-oli',
    order: [...SPECTRAL, 'qa'],
    required: ['blue', 'green', 'red', 'nir'],
    folder: {
      blue: ['B2'],
      green: ['B3'],
      red: ['B4'],
      nir: ['B5'],
      swir1: ['B6'],
      swir2: ['B7'],
      qa: ['QA_PIXEL'],
    },
    multiband: { blue: '2', green: '3', red: '4', nir: '5', swir1: '6', swir2: '7' },
    config: LANDSAT_CONFIG,
    classifier: 'rules',
  },
  // Four-band multispectral digital numbers of the domestic satellites bureaus task (Gaofen-1,
  // -2 and -6 PMS, ZY-3, …): 1 blue, 2 green, 3 red, 4 NIR, uncalibrated, 1–8 m. The Landsat
  // method (IR-MAD on DNs, the spectral rules off) on four bands, with the s2 profile's 400 m²
  // minimum mapping unit. No labelled Gaofen pair was at hand to evaluate it (README).
  gf: {
    id: 'gf',
    order: ['blue', 'green', 'red', 'nir'],
    required: ['blue', 'green', 'red', 'nir'],
    folder: { blue: ['B1'], green: ['B2'], red: ['B3'], nir: ['B4'] },
    multiband: { blue: '1', green: '2', red: '3', nir: '4' },
    config: { ...LANDSAT_CONFIG, minAreaM2: 400 },
    classifier: 'rules',
  },
  // Sub-metre aerial/drone RGB: changed buildings are a large share of a frame, the balanced
  // case Otsu suits (KI cut too high on LEVIR), and texture keeps z low, hence the low floor.
  rgb: {
    id: 'rgb',
    order: ['red', 'green', 'blue'],
    required: ['red', 'green', 'blue'],
    folder: { red: ['R', 'RED', 'B1'], green: ['G', 'GREEN', 'B2'], blue: ['B', 'BLUE', 'B3'] },
    multiband: { red: '1', green: '2', blue: '3' },
    classifier: 'auto',
    config: {
      ...DN_CONFIG,
      threshold: 'otsu',
      minZ: 1,
      vegetated: 0.05,
      closeRadius: 2,
      minAreaM2: 20,
      // LEVIR's ground resolution, which the learned classifier and this configuration were
      // made on: drone frames of a few centimetres are averaged onto it.
      workingResolutionM: 0.5,
    },
  },
};

/** Every sensor id, in PROFILES' order (the job payload's enum). */
export const SENSOR_IDS = Object.keys(PROFILES) as [SensorId, ...SensorId[]];

/** The profile of a `--sensor` value, or a clear error listing the known ones. */
export function profileOf(id: string): SensorProfile {
  const p = PROFILES[id as SensorId];
  if (!p)
    throw new GengbaoError(
      'bad_input',
      `unknown sensor "${id}" (known: ${Object.keys(PROFILES).join(', ')})`,
      { field: 'sensor' },
    );
  return p;
}

/**
 * Which band of a scene plays each role: `--bands` (in the profile's role order) first, then
 * the profile's folder names or multiband numbers. Missing required roles are an error that
 * names the scene and what it has.
 */
export function resolveBands(
  profile: SensorProfile,
  bandNames: string[],
  label: string,
  bands?: string[],
): Partial<Record<Role, string>> {
  const have = new Set(bandNames);
  const out: Partial<Record<Role, string>> = {};
  if (bands && bands.length > 0) {
    if (bands.length > profile.order.length)
      throw new GengbaoError(
        'bad_input',
        `--bands lists ${bands.length} bands; ${profile.id} takes at most ${profile.order.join(',')}`,
        { field: 'bands' },
      );
    bands.forEach((b, i) => {
      const name = b.trim().toUpperCase();
      if (!have.has(name))
        throw new GengbaoError(
          'bad_input',
          `${label}: band ${b} is missing (has ${bandNames.join(', ')})`,
          { field: 'bands' },
        );
      out[profile.order[i]] = name;
    });
  } else {
    const multiband = bandNames.every((n) => /^\d+$/.test(n));
    for (const role of profile.order) {
      const candidates = multiband ? [profile.multiband[role]] : (profile.folder[role] ?? []);
      const hit = candidates.find((c) => c !== undefined && have.has(c));
      if (hit) out[role] = hit;
    }
  }
  const missing = profile.required.filter((r) => !out[r]);
  if (missing.length > 0)
    throw new GengbaoError(
      'bad_input',
      `${label}: no band for ${missing.join(', ')} under sensor ${profile.id} (has ${bandNames.join(', ')}); pass --bands ${profile.order.slice(0, profile.required.length).join(',')}${bandNames.length === 3 && profile.id !== 'rgb' ? ', or --sensor rgb for aerial or drone RGB' : ''}`,
      { field: 'bands' },
    );
  return out;
}
