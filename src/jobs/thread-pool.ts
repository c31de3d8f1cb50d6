import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { GengbaoError, type ErrorCode } from '../errors.ts';

// A plain-JS entry that registers tsx, so threads run the TypeScript sources like the main process.
const WORKER_URL = new URL('./thread-worker.mjs', import.meta.url);

interface Task {
  id: number;
  moduleUrl: string;
  fn: string;
  input: unknown;
  transfer: ArrayBuffer[];
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

/**
 * A fixed pool of worker threads for CPU-heavy pure functions (raster kernels, overlay):
 * `run(moduleUrl, 'exportName', input)` runs `exportName(input)` from that module on a free
 * thread. Both cores of the target machine get used while the main thread keeps serving HTTP.
 */
export class ThreadPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Task>();
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;

  constructor(readonly size = Math.max(1, availableParallelism())) {}

  run<T>(moduleUrl: string | URL, fn: string, input: unknown, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.closed) return Promise.reject(new GengbaoError('internal', 'thread pool is closed'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, moduleUrl: String(moduleUrl), fn, input, transfer, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  private spawn(): Worker {
    const w = new Worker(WORKER_URL);
    w.on('message', (msg: { id: number; ok: boolean; value?: unknown; error?: { message: string; code?: string; field?: string } }) => {
      const task = this.busy.get(w);
      this.busy.delete(w);
      if (task) {
        if (msg.ok) task.resolve(msg.value);
        else if (msg.error?.code) task.reject(new GengbaoError(msg.error.code as ErrorCode, msg.error.message, { field: msg.error.field }));
        else task.reject(new Error(msg.error?.message));
      }
      this.idle.push(w);
      this.pump();
    });
    w.on('error', (e) => {
      const task = this.busy.get(w);
      this.busy.delete(w);
      task?.reject(e);
      this.pump();
    });
    return w;
  }

  private pump(): void {
    while (this.queue.length) {
      let w = this.idle.pop();
      if (!w) {
        if (this.busy.size >= this.size) return;
        w = this.spawn();
      }
      const task = this.queue.shift()!;
      this.busy.set(w, task);
      w.postMessage({ id: task.id, moduleUrl: task.moduleUrl, fn: task.fn, input: task.input }, task.transfer);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.idle, ...this.busy.keys()];
    this.idle.length = 0;
    await Promise.all(all.map((w) => w.terminate()));
  }
}
