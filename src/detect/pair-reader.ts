import {
  afterWindowOf,
  alignGrids,
  resampleToBefore,
  type GridAlignment,
  type PixelWindow,
} from '../raster/grid.ts';
import type { RasterScene } from '../raster/scene-source.ts';

/** The two scenes of a pair, which of their bands to read (same role order) and how they align. */
export interface ScenePair {
  before: RasterScene;
  after: RasterScene;
  beforeBands: string[];
  afterBands: string[];
  alignment: GridAlignment;
}

/**
 * Pair two scenes for reading (their grids aligned, the after date resampled onto the before
 * grid where they differ); errors name each date by its location.
 */
export function scenePair(
  before: RasterScene,
  after: RasterScene,
  beforeBands: string[],
  afterBands: string[],
): ScenePair {
  const alignment = alignGrids(before.grid, after.grid, {
    before: `before ${before.location}`,
    after: `after ${after.location}`,
  });
  return { before, after, beforeBands, afterBands, alignment };
}

/** Both dates' bands over one window. */
export interface PairWindow {
  before: Float32Array[];
  after: Float32Array[];
}

/**
 * Read a before-grid window from both dates, the after date put on the before grid. `reuse`:
 * a previous window's arrays, no longer needed, that the readers may fill again.
 */
export async function readPairWindow(
  pair: ScenePair,
  w: PixelWindow,
  reuse?: PairWindow,
): Promise<PairWindow> {
  const aw = afterWindowOf(pair.alignment, w);
  const [before, afterRaw] = await Promise.all([
    pair.before.readBands(pair.beforeBands, w, reuse?.before),
    pair.after.readBands(pair.afterBands, aw, reuse?.after),
  ]);
  return { before, after: resampleToBefore(pair.alignment, w, aw, afterRaw) };
}

/** Both dates' inflated interleaved blocks over one window (see RasterScene.readBlock). */
export interface PairBlocks {
  before: Uint16Array;
  after: Uint16Array;
  /** Pixels per block row (both dates are tiled alike). */
  stride: number;
  /** Sample index, within a pixel, of each of the pair's bands. */
  beforeOrder: number[];
  afterOrder: number[];
  /** Whether each date's values are still horizontal differences (BlockReader.readBlock). */
  beforeDifferenced: boolean;
  afterDifferenced: boolean;
}

/**
 * Both dates' blocks over `w` when the grids are identical and both files are tiled alike as
 * pixel-interleaved 4-band UInt16 — or undefined, and the window is read by readPairWindow.
 */
export function readPairBlocks(pair: ScenePair, w: PixelWindow): PairBlocks | undefined {
  if (
    pair.alignment.note !== undefined ||
    !pair.before.canReadBlock?.(pair.beforeBands) ||
    !pair.after.canReadBlock?.(pair.afterBands)
  )
    return undefined;
  const b = pair.before.readBlock?.(pair.beforeBands, w);
  const a = b && pair.after.readBlock?.(pair.afterBands, w);
  if (!b || !a || a.stride !== b.stride) return undefined;
  return {
    before: b.data,
    after: a.data,
    stride: b.stride,
    beforeOrder: b.order,
    afterOrder: a.order,
    beforeDifferenced: b.differenced,
    afterDifferenced: a.differenced,
  };
}
