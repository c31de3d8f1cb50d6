/**
 * Thread functions (src/threads) of detection's classification: each thread opens the scene
 * pair itself (local path or URL) in `setup`, then reads and classifies the windows it is
 * given. State is per thread (this module's variables: one copy per thread). Started by
 * classify-scene.ts, from a bundle of this module when one can be built (src/threads/bundle.ts).
 */
import { GengbaoError } from '../errors.ts';
import { coarsenScene } from '../raster/coarsen.ts';
import type { GridAlignment, PixelWindow } from '../raster/grid.ts';
import { openScene, type RasterScene } from '../raster/scene-source.ts';
import { classifyPairInto, readPairInput, retainFor } from './classify-pair.ts';
import type { PairWindow, ScenePair } from './pair-reader.ts';
import type { ClassifyTarget } from './target.ts';
import type { ChangeModel, WindowCounts } from './types.ts';

export interface WorkerSetup {
  before: string;
  after: string;
  beforeBands: string[];
  afterBands: string[];
  alignment: GridAlignment;
  /** Read windows as interleaved blocks where the files allow it (interleavedApplies). */
  blocks: boolean;
  /** Pixels of context read around each window (learnedHalo; 0 for the rules). */
  margin: number;
  /** Each date's averaging onto the working resolution (working-resolution.ts; 1 = as read). */
  coarsen: [number, number];
  /** Rows of the windows given (the first's), for the blocks kept when `margin` > 0. */
  windowRows: number;
}

let pair: ScenePair | undefined;
let readBlocks = false;
let margin = 0;
let model: ChangeModel | undefined;
let target: ClassifyTarget | undefined;
/** Resolves when the model arrives: windows sent before it are read, then wait for it. */
let modelArrived: () => void = () => {};
const modelReady = new Promise<void>((ok) => (modelArrived = ok));
/** The last window's arrays, filled again by the next read (windows are classified one at a time). */
let scratch: PairWindow | undefined;

/** Open the pair on this thread. */
export async function setup(s: WorkerSetup): Promise<void> {
  // The main thread opened these files already, decode check included.
  const [before, after] = (
    await Promise.all([
      openScene(s.before, { checkDecode: false }),
      openScene(s.after, { checkDecode: false }),
    ])
  ).map((scene: RasterScene, d) => {
    retainFor(scene, s.windowRows, s.margin, s.coarsen[d]);
    return s.coarsen[d] > 1 ? coarsenScene(scene, s.coarsen[d]) : scene;
  });
  pair = {
    before,
    after,
    beforeBands: s.beforeBands,
    afterBands: s.afterBands,
    alignment: s.alignment,
  };
  readBlocks = s.blocks;
  margin = s.margin;
}

/**
 * The fitted model and the scene's shared class and score rasters. Threads start before the
 * model exists, and windows may be given before it too: they are read at once and classified
 * when it arrives.
 */
export function setModel(m: { model: ChangeModel; target: ClassifyTarget }): void {
  model = m.model;
  target = m.target;
  modelArrived();
}

/** Read and classify one window into the shared rasters; resolves with its counts. */
export async function classifyOnThread(w: PixelWindow): Promise<WindowCounts> {
  if (!pair) throw new GengbaoError('internal', 'classify thread: no scene pair (setup first)');
  // Read (and inflate) at once, though the model may still be being fitted.
  const input = await readPairInput(pair, w, readBlocks, scratch, margin);
  if ('bands' in input) scratch = input.bands;
  await modelReady;
  if (!model || !target) throw new GengbaoError('internal', 'classify thread: no model');
  return classifyPairInto(target, model, input, w);
}
