/**
 * I/O: a small pool of classify workers. Workers run the bundled classify worker
 * (worker-bundle.ts); failing that, an ES-module snippet that loads classify-worker.ts through
 * tsx's `tsImport`, because Node 20 does not pass the main thread's tsx loader (nor `--import
 * tsx` in execArgv) on to worker threads. Both work the same under `node bin/gengbao.js` and
 * under Vitest.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { GengbaoError, type ErrorCode } from '../errors.ts';
import type { PixelWindow } from '../raster/grid.ts';
import type { WorkerSetup } from './classify-worker.ts';
import type { ClassifyTarget } from './target.ts';
import { classifyWorkerBundle } from './worker-bundle.ts';
import type { WindowCounts, ChangeModel } from './types.ts';

interface Pending {
  resolve: (r: WindowCounts) => void;
  reject: (e: Error) => void;
}

type Reply = {
  ready?: boolean;
  closed?: boolean;
  job?: number;
  result?: WindowCounts;
  error?: { code: ErrorCode; message: string; field?: string };
};

async function startWorker(): Promise<Worker> {
  // An empty workerData: the `web-worker` package (pulled in by geotiff) destructures it when
  // loaded off the main thread and would throw on undefined.
  const bundle = await classifyWorkerBundle();
  if (bundle) return new Worker(bundle, { workerData: {} });
  // The ES-module build of tsx's API (require.resolve would give the CommonJS one).
  const api = pathToFileURL(
    join(
      dirname(createRequire(import.meta.url).resolve('tsx/package.json')),
      'dist/esm/api/index.mjs',
    ),
  ).href;
  const mod = new URL('./classify-worker.ts', import.meta.url).href;
  const code = `import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(mod)}, ${JSON.stringify(mod)}));`;
  return new Worker(code, { eval: true, workerData: {} });
}

/** Classify windows on `size` worker threads; `run` resolves with each window's result. */
export class ClassifyPool {
  private workers: Worker[] = [];
  private idle: Worker[] = [];
  private queue: Array<{ window: PixelWindow; pending: Pending }> = [];
  private inFlight = new Map<Worker, Pending>();
  private nextJob = 0;

  /**
   * Spawn `size` workers; resolves as soon as their threads exist (the worker bundle built
   * first, so that every thread starts within one turn of the event loop) to the promise of
   * the ready pool. A caller that goes on to other work without awaiting this would leave
   * the spawning behind that work.
   */
  static async spawn(size: number, setup: WorkerSetup): Promise<{ ready: Promise<ClassifyPool> }> {
    await classifyWorkerBundle();
    return { ready: ClassifyPool.start(size, setup) };
  }

  static async start(size: number, setup: WorkerSetup): Promise<ClassifyPool> {
    const pool = new ClassifyPool();
    await Promise.all(
      Array.from({ length: size }, async () => {
        const w = await startWorker();
        pool.workers.push(w);
        await new Promise<void>((ok, fail) => {
          const onMsg = (m: Reply): void => {
            if (m.ready) {
              w.off('message', onMsg);
              ok();
            } else if (m.error)
              fail(new GengbaoError(m.error.code, m.error.message, { field: m.error.field }));
          };
          w.on('message', onMsg);
          w.once('error', fail);
          w.postMessage({ setup });
        });
        w.on('message', (m: Reply) => pool.onReply(w, m));
        w.on('error', (e) => pool.onCrash(w, e));
        pool.idle.push(w);
      }),
    ).catch(async (e) => {
      await pool.close();
      throw e;
    });
    return pool;
  }

  /**
   * Send the fitted model and the shared rasters. Workers start before the model exists, and
   * windows may be sent before it too: they are read at once and classified when it arrives.
   */
  setModel(model: ChangeModel, target: ClassifyTarget): void {
    for (const w of this.workers) w.postMessage({ model, target });
  }

  run(window: PixelWindow): Promise<WindowCounts> {
    return new Promise((resolve, reject) => {
      this.queue.push({ window, pending: { resolve, reject } });
      this.pump();
    });
  }

  private pump(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const w = this.idle.pop() as Worker;
      const { window, pending } = this.queue.shift() as { window: PixelWindow; pending: Pending };
      this.inFlight.set(w, pending);
      w.postMessage({ job: this.nextJob++, window });
    }
  }

  private onReply(w: Worker, m: Reply): void {
    const p = this.inFlight.get(w);
    if (!p || m.job === undefined) return;
    this.inFlight.delete(w);
    this.idle.push(w);
    if (m.error)
      p.reject(new GengbaoError(m.error.code, m.error.message, { field: m.error.field }));
    else p.resolve(m.result as WindowCounts);
    this.pump();
  }

  private onCrash(w: Worker, e: Error): void {
    const p = this.inFlight.get(w);
    this.inFlight.delete(w);
    p?.reject(e);
  }

  /** Stop the workers; windows still queued or in flight are rejected. */
  async close(): Promise<void> {
    const stopped = new GengbaoError('internal', 'classification stopped');
    for (const p of this.inFlight.values()) p.reject(stopped);
    for (const q of this.queue) q.pending.reject(stopped);
    this.inFlight.clear();
    this.queue = [];
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers = [];
  }
}
