import { coarsenScene } from '../raster/coarsen.ts';
import { pixelAreaM2, type RasterGrid } from '../raster/grid.ts';
import type { RasterScene } from '../raster/scene-source.ts';

/** Ground size (m) of a grid's pixels: the side of its centre pixel's ellipsoidal area, whatever the CRS's units. */
export function pixelSizeM(g: RasterGrid): number {
  return Math.sqrt(pixelAreaM2(g));
}

/**
 * How many pixels of `sizeM` a side average into one near `workingM`: 1 (the imagery as it
 * is) unless that is at least 2, i.e. unless the imagery is at least 1.5 times finer.
 */
export function coarsenFactor(sizeM: number, workingM: number | null): number {
  if (workingM === null || !(workingM > 0) || !(sizeM > 0)) return 1;
  const k = Math.round(workingM / sizeM);
  return k >= 2 ? k : 1;
}

/** A pair put on the working resolution, and what was done to it. */
export interface WorkingPair {
  before: RasterScene;
  after: RasterScene;
  /** The averaging factor of each date (1: as read). */
  factors: [number, number];
  /** What was averaged, or that the imagery is coarser than the configuration was made for; for the run report. */
  note?: string;
}

const metres = (m: number): string => `${Number(m.toPrecision(2))} m`;

/**
 * Put both dates on the configuration's working resolution (DetectConfig.workingResolutionM):
 * each date finer than it is averaged k × k (coarsen.ts), k chosen per date, after which the
 * detector aligns the dates as it does any two grids. Imagery coarser than the working
 * resolution is used as it is (upsampling invents no detail) and the note says so. `sensor`
 * names the configuration in the note.
 */
export function toWorkingResolution(
  before: RasterScene,
  after: RasterScene,
  workingM: number | null,
  sensor: string,
): WorkingPair {
  if (workingM === null) return { before, after, factors: [1, 1] };
  const sizes = [pixelSizeM(before.grid), pixelSizeM(after.grid)];
  const factors = sizes.map((s) => coarsenFactor(s, workingM)) as [number, number];
  const scenes = [before, after].map((s, d) => (factors[d] > 1 ? coarsenScene(s, factors[d]) : s));
  const said = ['before', 'after'].flatMap((label, d) =>
    factors[d] > 1
      ? [`${label} ${metres(sizes[d])} pixels averaged ${factors[d]} × ${factors[d]}`]
      : [],
  );
  const coarse = ['before', 'after'].flatMap((label, d) =>
    sizes[d] > 1.5 * workingM ? [`${label} ${metres(sizes[d])}`] : [],
  );
  const note =
    said.length > 0
      ? `${said.join(', ')}: the ${sensor} configuration works at ${metres(workingM)}`
      : coarse.length > 0
        ? `${coarse.join(', ')} pixels are coarser than the ${metres(workingM)} the ${sensor} configuration was made for: expect small changes to be missed`
        : undefined;
  return { before: scenes[0], after: scenes[1], factors, note };
}
