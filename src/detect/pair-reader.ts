import {
  afterWindowOf,
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
