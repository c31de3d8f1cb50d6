import type { PixelWindow } from '../raster/grid.ts';
import { classifyWindow, type WindowResult } from './classify.ts';
import { classifyInterleaved } from './classify-interleaved.ts';
import type { ChangeModel } from './model.ts';
import {
  readPairBlocks,
  readPairWindow,
  type PairBlocks,
  type PairWindow,
  type ScenePair,
} from './pair-reader.ts';

/** One window's pixels as read: both dates' decoded blocks, or Float32 bands. */
export type PairInput = { blocks: PairBlocks } | { bands: PairWindow };

/**
 * Read one before-grid window of a pair: straight as both dates' decoded interleaved blocks
 * when `blocks` (interleavedApplies) and the files allow it, otherwise as Float32 bands, into
 * `reuse` (a previous window's band arrays) where they fit. Blocks stay valid until the next read.
 */
export async function readPairInput(
  pair: ScenePair,
  w: PixelWindow,
  blocks: boolean,
  reuse?: PairWindow,
): Promise<PairInput> {
  const b = blocks ? readPairBlocks(pair, w) : undefined;
  return b ? { blocks: b } : { bands: await readPairWindow(pair, w, reuse) };
}

/** Classify a window read by readPairInput (classify-interleaved.ts or classifyWindow). */
export function classifyPairInput(
  model: ChangeModel,
  input: PairInput,
  w: PixelWindow,
): WindowResult {
  return 'blocks' in input
    ? classifyInterleaved(model, input.blocks, w.width, w.height)
    : classifyWindow(model, input.bands.before, input.bands.after, w.width * w.height, w.width);
}
