/**
 * I/O: a worker thread that opens the scene pair itself (local path or URL), then reads and
 * classifies the windows the main thread sends. Started by worker-pool.ts.
 */
import { parentPort } from 'node:worker_threads';
import { coarsenScene } from '../raster/coarsen.ts';
import { openScene, type RasterScene } from '../raster/scene-source.ts';
import type { GridAlignment, PixelWindow } from '../raster/grid.ts';
import { classifyPairInto, readPairInput } from './classify-pair.ts';
import type { ClassifyTarget } from './target.ts';
import type { PairWindow, ScenePair } from './pair-reader.ts';
import type { ChangeModel } from './types.ts';

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
const opened: RasterScene[] = [];

parentPort?.on(
  'message',
  async (msg: {
    setup?: WorkerSetup;
    model?: ChangeModel;
    target?: ClassifyTarget;
    job?: number;
    window?: PixelWindow;
    close?: boolean;
  }) => {
    try {
      if (msg.setup) {
        const s = msg.setup;
        // The main thread opened these files already, decode check included.
        const [before, after] = (
          await Promise.all([
            openScene(s.before, { checkDecode: false }),
            openScene(s.after, { checkDecode: false }),
          ])
        ).map((scene, d) => (s.coarsen[d] > 1 ? coarsenScene(scene, s.coarsen[d]) : scene));
        opened.push(before, after);
        pair = {
          before,
          after,
          beforeBands: s.beforeBands,
          afterBands: s.afterBands,
          alignment: s.alignment,
        };
        readBlocks = s.blocks;
        margin = s.margin;
        parentPort?.postMessage({ ready: true });
      } else if (msg.model) {
        model = msg.model;
        target = msg.target;
        modelArrived();
      } else if (msg.window && pair) {
        const w = msg.window;
        // Read (and inflate) at once, though the model may still be being fitted.
        const input = await readPairInput(pair, w, readBlocks, scratch, margin);
        if ('bands' in input) scratch = input.bands;
        await modelReady;
        if (!model || !target) throw new Error('classify worker: no model');
        const counts = classifyPairInto(target, model, input, w);
        parentPort?.postMessage({ job: msg.job, result: counts });
      } else if (msg.close) {
        await Promise.all(opened.map((s) => s.close()));
        parentPort?.postMessage({ closed: true });
      }
    } catch (e) {
      const err = e as { code?: string; message?: string; field?: string };
      parentPort?.postMessage({
        job: msg.job,
        error: {
          code: err.code ?? 'internal',
          message: err.message ?? String(e),
          field: err.field,
        },
      });
    }
  },
);
