import type { PixelWindow } from '../raster/grid.ts';
import { threadModule } from '../threads/bundle.ts';
import { ThreadPool, type ThreadModule } from '../threads/pool.ts';
import { interleavedApplies } from './classify-interleaved.ts';
import { classifyPairInto, readPairInput, retainFor } from './classify-pair.ts';
import type { WorkerSetup } from './classify-worker.ts';
import { learnedHalo } from './learned/classify-learned.ts';
import type { OpenedPair } from './open-pair.ts';
import type { DetectProgress } from './options.ts';
import type { DetectConfig } from './profiles.ts';
import type { ClassifyTarget } from './target.ts';
import type { ChangeModel, WindowCounts } from './types.ts';

type ClassifyWorker = typeof import('./classify-worker.ts');
const WORKER = new URL('./classify-worker.ts', import.meta.url);

/** The scene's classification, begun before the model exists (startClassification). */
export interface SceneClassification {
  /** Classes (0 none, 1 built, 2 bare, 3 seasonal candidate) and scores over the processed window. */
  cls: Uint8Array;
  score: Uint8Array;
  /** Classify every window with `model`; resolves with the summed counts. Stops the threads. */
  finish(model: ChangeModel): Promise<WindowCounts>;
  /** Stop the threads without classifying (the fit failed). */
  close(): Promise<void>;
}

/**
 * Stage "classify", begun early. On worker threads (`workers` > 0 and scenes the threads can
 * reopen by location; in-memory scenes stay on this thread) the threads are spawned before
 * this resolves — they load their code and open the scenes while this thread reads the
 * sample: left to the event loop, the spawning waited behind the sample and the fit (1.5 s on
 * a 10980² pair) and the threads' own start (0.4 s) came after them — and each starts reading
 * its first window at once, classifying it when `finish` gives the model: no core idles
 * meanwhile. Classes and scores go straight into scene-sized rasters, on SharedArrayBuffers
 * that the threads write their windows into.
 */
export async function startClassification(
  { before, after, pair, roles, quality, working }: OpenedPair,
  windows: PixelWindow[],
  config: DetectConfig,
  workersAsked: number | undefined,
  progress: (p: DetectProgress) => void,
): Promise<SceneClassification> {
  const win = pair.alignment.window;
  const workers =
    before.location && after.location && !before.location.startsWith('memory:')
      ? (workersAsked ?? 0)
      : 0;
  const blocks = interleavedApplies(roles, quality !== undefined, config);
  const margin = config.learned ? learnedHalo(config.learned) : 0;
  const threads =
    workers > 0
      ? (
          await startThreads(workers, {
            before: before.location,
            after: after.location,
            beforeBands: pair.beforeBands,
            afterBands: pair.afterBands,
            alignment: pair.alignment,
            blocks,
            margin,
            coarsen: working.factors,
            windowRows: windows[0]?.height ?? 0,
          })
        ).ready
      : undefined;
  const close = async (): Promise<void> => {
    const started = await threads;
    if (started && 'pool' in started) await started.pool.close();
  };

  const total = win.width * win.height;
  const raster = (): Uint8Array =>
    new Uint8Array(workers > 0 ? new SharedArrayBuffer(total) : new ArrayBuffer(total));
  const cls = raster();
  const score = raster();
  const target: ClassifyTarget = { cls, score, region: win };
  const counts: WindowCounts = { invalid: 0, seasonal: 0, greening: 0 };
  let done = 0;
  let next = 0;
  // `lanes` windows in flight at once: memory stays a few windows whatever the scene size.
  const runLanes = (lanes: number, classify: (w: PixelWindow) => Promise<WindowCounts>) =>
    Promise.all(
      Array.from({ length: lanes }, async () => {
        while (next < windows.length) {
          const w = windows[next++];
          const r = await classify(w);
          counts.invalid += r.invalid;
          counts.seasonal += r.seasonal;
          counts.greening += r.greening;
          progress({ phase: 'classify', done: ++done, total: windows.length });
        }
      }),
    );
  // One window in flight per thread plus one queued.
  const pooled = threads?.then((started) =>
    'pool' in started
      ? runLanes(workers * 2, (w) => started.classify.run('classifyOnThread', w))
      : undefined,
  );
  pooled?.catch(() => {}); // awaited in finish; a failure before then closes the pool

  return {
    cls,
    score,
    close,
    async finish(model) {
      try {
        if (threads) {
          const started = await threads;
          if ('error' in started) throw started.error;
          await started.classify.each('setModel', { model, target });
          await pooled;
        } else {
          for (const scene of [pair.before, pair.after])
            retainFor(scene, windows[0]?.height ?? 0, margin);
          await runLanes(1, async (w) =>
            classifyPairInto(
              target,
              model,
              await readPairInput(pair, w, blocks, undefined, margin),
              w,
            ),
          );
        }
      } finally {
        await close();
      }
      return counts;
    },
  };
}

type ThreadsStart = Promise<
  { pool: ThreadPool; classify: ThreadModule<ClassifyWorker> } | { error: unknown }
>;

/**
 * Start the classify threads. Resolves, once they are spawned, to a promise of the pool set up
 * or of the error (that one never rejects, so a failure elsewhere first leaves no unhandled
 * rejection). Wrapped in an object: a promise resolved with a promise would wait for it.
 */
async function startThreads(size: number, setup: WorkerSetup): Promise<{ ready: ThreadsStart }> {
  try {
    // The bundle built first, so that every thread starts within one turn of the event loop.
    const url = await threadModule(WORKER);
    const pool = new ThreadPool(size);
    const classify = pool.module<ClassifyWorker>(url);
    return {
      ready: classify.each('setup', setup).then(
        () => ({ pool, classify }),
        async (error: unknown) => {
          await pool.close();
          return { error };
        },
      ),
    };
  } catch (error) {
    return { ready: Promise.resolve({ error }) };
  }
}
