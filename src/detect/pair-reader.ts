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
  /** The after date as read, before it was put on the before grid (when the grids differ). */
  afterRead?: Float32Array[];
}

/**
 * Read a before-grid window from both dates, the after date put on the before grid. `reuse`:
 * a previous window's arrays, no longer needed, that the readers and the resampling fill
 * again (fresh arrays for every window cost the OS paging them in: with a reprojected after
 * date, that was most of a 10980² run's system time).
 */
export async function readPairWindow(
  pair: ScenePair,
  w: PixelWindow,
  reuse?: PairWindow,
): Promise<PairWindow> {
  const a = pair.alignment;
  const aw = afterWindowOf(a, w);
  // The after window's size changes from window to window when resampled: a larger array
  // from an earlier window is filled through a view of the size wanted.
  const n = aw.width * aw.height;
  const readInto = a.identity
    ? reuse?.after
    : reuse?.afterRead?.map((r) => (r.length >= n ? r.subarray(0, n) : r));
  const [before, afterRead] = await Promise.all([
    pair.before.readBands(pair.beforeBands, w, reuse?.before),
    pair.after.readBands(pair.afterBands, aw, readInto),
  ]);
  if (a.identity) return { before, after: afterRead };
  const kept = reuse?.afterRead;
  return {
    before,
    after: resampleToBefore(a, w, aw, afterRead, reuse?.after),
    // Keep the larger of the arrays, so that a window's read rarely needs new ones.
    afterRead: kept && kept[0].length > afterRead[0].length ? kept : afterRead,
  };
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
