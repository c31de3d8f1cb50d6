import { GengbaoError } from '../errors.ts';
import type { RasterScene } from '../raster/scene-source.ts';
import { maskBandsOf } from './masks.ts';
import { scenePair, type ScenePair } from './pair-reader.ts';
import { resolveBands, type DetectConfig, type Role, type SensorProfile } from './profiles.ts';
import type { MaskBands } from './types.ts';
import { toWorkingResolution, type WorkingPair } from './working-resolution.ts';

/** The pair as the detector reads it: on its working resolution, bands chosen, grids aligned. */
export interface OpenedPair {
  /** The scenes as given (evidence chips are drawn from them at their own resolution). */
  given: { before: RasterScene; after: RasterScene };
  /** Each date averaged onto the working resolution, or as given (`factors` 1). */
  working: WorkingPair;
  before: RasterScene;
  after: RasterScene;
  /** Spectral roles present on both dates, in a fixed order. */
  roles: Role[];
  /** A quality band both dates have (SCL or QA_PIXEL), read after the spectral bands. */
  quality?: Role;
  masks: MaskBands;
  /** Each date's band names: the spectral roles', then the quality band's. */
  bands: [string[], string[]];
  /** Each date's band names of the spectral roles only. */
  spectral: [string[], string[]];
  /** The pair with the after grid aligned onto the before grid. */
  pair: ScenePair;
}

/**
 * Stages "working resolution", "bands" and "grids": imagery finer than the configuration's
 * working resolution is read averaged onto it (working-resolution.ts); each date's bands are
 * found for the profile's roles; the after grid is aligned onto the before grid (pair-reader.ts).
 */
export function openPair(
  beforeScene: RasterScene,
  afterScene: RasterScene,
  profile: SensorProfile,
  config: DetectConfig,
  bandNames?: string[],
): OpenedPair {
  const working = toWorkingResolution(
    beforeScene,
    afterScene,
    config.workingResolutionM,
    profile.id,
  );
  const { before, after } = working;
  const rb = resolveBands(profile, before.bandNames, `before ${before.location}`, bandNames);
  const ra = resolveBands(profile, after.bandNames, `after ${after.location}`, bandNames);
  const roles = (['blue', 'green', 'red', 'nir', 'swir1', 'swir2'] as Role[]).filter(
    (r) => rb[r] && ra[r],
  );
  const quality = (['scl', 'qa'] as Role[]).find((r) => rb[r] && ra[r]);
  if (quality && working.factors.some((k) => k > 1))
    throw new GengbaoError(
      'bad_input',
      `${working.note}, but the quality band (${rb[quality]}) holds classes or bits that cannot be averaged: leave out --working-resolution or that band`,
      { field: 'workingResolution' },
    );
  const masks = maskBandsOf(roles, quality);
  const spectralOf = (r: Partial<Record<Role, string>>): string[] =>
    roles.map((x) => r[x] as string);
  const namesOf = (r: Partial<Record<Role, string>>): string[] => [
    ...spectralOf(r),
    ...(quality ? [r[quality] as string] : []),
  ];
  const bands: [string[], string[]] = [namesOf(rb), namesOf(ra)];
  const pair = scenePair(before, after, bands[0], bands[1]);
  return {
    given: { before: beforeScene, after: afterScene },
    working,
    before,
    after,
    roles,
    quality,
    masks,
    bands,
    spectral: [spectralOf(rb), spectralOf(ra)],
    pair,
  };
}
