import type { PixelWindow } from '../raster/grid.ts';
import type { RasterScene } from '../raster/scene-source.ts';
import { classifyWindowInto } from './classify.ts';
import { classifyInterleaved } from './classify-interleaved.ts';
import { classifyLearned } from './learned/classify-learned.ts';
import { validOnBothDates } from './masks.ts';
import {
  readPairBlocks,
  readPairWindow,
  type PairBlocks,
  type PairWindow,
  type ScenePair,
} from './pair-reader.ts';
import { targetSink, type ClassifyTarget } from './target.ts';
import type { WindowCounts, ChangeModel } from './types.ts';

/**
 * One window's pixels as read: both dates' decoded blocks, or Float32 bands over `read` (the
 * window itself, or the window with a margin for the learned classifier's context).
 */
export type PairInput = { blocks: PairBlocks } | { bands: PairWindow; read: PixelWindow };

/** `w` grown by `margin` pixels on every side, clipped to `bounds`. */
function withMargin(w: PixelWindow, margin: number, bounds: PixelWindow): PixelWindow {
  const x0 = Math.max(bounds.x0, w.x0 - margin);
  const y0 = Math.max(bounds.y0, w.y0 - margin);
  const x1 = Math.min(bounds.x0 + bounds.width, w.x0 + w.width + margin);
  const y1 = Math.min(bounds.y0 + bounds.height, w.y0 + w.height + margin);
  return { x0, y0, width: x1 - x0, height: y1 - y0 };
}

/**
 * Read one before-grid window of a pair: straight as both dates' decoded interleaved blocks
 * when `blocks` (interleavedApplies) and the files allow it, otherwise as Float32 bands, into
 * `reuse` (a previous window's band arrays) where they fit, with `margin` pixels more on each
 * side inside the pair's common window (learnedHalo). Blocks stay valid until the next read.
 */
export async function readPairInput(
  pair: ScenePair,
  w: PixelWindow,
  blocks: boolean,
  reuse?: PairWindow,
  margin = 0,
): Promise<PairInput> {
  const b = blocks && margin === 0 ? readPairBlocks(pair, w) : undefined;
  if (b) return { blocks: b };
  const read = margin > 0 ? withMargin(w, margin, pair.alignment.window) : w;
  return { bands: await readPairWindow(pair, read, reuse), read };
}

/**
 * Keep the decoded blocks of two rows of windows with their margins (RasterScene.retainBlocks)
 * when windows are read with a margin: each edge block is then decoded about once per thread
 * instead of once for every window it touches. Without a margin, windows share no block.
 * `factor`: the scene's pixels per working pixel (coarsen.ts).
 */
export function retainFor(
  scene: RasterScene,
  windowRows: number,
  margin: number,
  factor = 1,
): void {
  if (margin > 0) scene.retainBlocks?.(2 * (windowRows + 2 * margin) * factor);
}

/**
 * Classify window `w` from what readPairInput read straight into the target's rasters:
 * interleaved blocks (classify-interleaved.ts), bands by classifyLearned or the rules
 * (classifyWindowInto).
 */
export function classifyPairInto(
  target: ClassifyTarget,
  model: ChangeModel,
  input: PairInput,
  w: PixelWindow,
): WindowCounts {
  const sink = targetSink(target, w);
  if ('blocks' in input) return classifyInterleaved(model, input.blocks, w.width, w.height, sink);
  const { before, after } = input.bands;
  const learned = model.config.learned;
  if (!learned) return classifyWindowInto(model, before, after, w.width * w.height, w.width, sink);
  // Read over `r`: w with the learned classifier's margin.
  const r = input.read;
  const valid = validOnBothDates(model, before, after, r.width * r.height);
  const inner = { x: w.x0 - r.x0, y: w.y0 - r.y0, width: w.width, height: w.height };
  return classifyLearned(model, learned, before, after, valid, r.width, r.height, inner, sink);
}
