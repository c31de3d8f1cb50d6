import { availableParallelism } from 'node:os';
import { Worker, type TransferListItem } from 'node:worker_threads';
import { GengbaoError } from '../errors.ts';
import type { CallMessage, InputOf, OutputOf, ReplyMessage, ThreadFn } from './messages.ts';
import { reviveError } from './revive-error.ts';

const ENTRY = new URL('./worker-entry.mjs', import.meta.url);

interface Pending {
  thread: Thread;
  /** A call of `run`, which holds its thread; calls of `each` do not. */
  holds: boolean;
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

interface Queued {
  call: CallMessage;
  transfer: TransferListItem[];
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

interface Thread {
  worker: Worker;
  /** Calls of `run` in flight on it (at most one; `each` calls are not counted). */
  running: number;
}

/**
 * A fixed-size pool of worker threads, each running worker-entry.mjs. `run(moduleUrl, fn,
 * input, transfer)` runs the exported `fn(input)` of that module on a free thread (one call
 * per thread at a time, the rest queued in order); `each(moduleUrl, fn, input)` runs it on
 * every thread at once, beside whatever they run — for modules that keep per-thread state
 * (open the scenes once, then classify window after window). Errors come back as they were
 * thrown (revive-error.ts). Threads start on first use and live until `close`.
 */
export class ThreadPool {
  private readonly threads: Thread[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly queue: Queued[] = [];
  private nextId = 1;
  private closed = false;

  constructor(readonly size = Math.max(1, availableParallelism())) {}

  run<T>(
    moduleUrl: string | URL,
    fn: string,
    input?: unknown,
    transfer: TransferListItem[] = [],
  ): Promise<T> {
    if (this.closed) return Promise.reject(closedError());
    return new Promise<T>((resolve, reject) => {
      const call = { id: this.nextId++, moduleUrl: String(moduleUrl), fn, input };
      this.queue.push({ call, transfer, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  /** `fn(input)` on every thread (all `size` started now), each its own copy of `input`. */
  each<T>(moduleUrl: string | URL, fn: string, input?: unknown): Promise<T[]> {
    if (this.closed) return Promise.reject(closedError());
    while (this.threads.length < this.size) this.spawn();
    return Promise.all(
      this.threads.map(
        (thread) =>
          new Promise<T>((resolve, reject) => {
            const call = { id: this.nextId++, moduleUrl: String(moduleUrl), fn, input };
            this.pending.set(call.id, {
              thread,
              holds: false,
              resolve: resolve as (v: unknown) => void,
              reject,
            });
            thread.worker.postMessage(call);
          }),
      ),
    );
  }

  /** The functions of one module, typed by it: `pool.module<typeof import('./m.ts')>(url).run('f', x)`. */
  module<M>(moduleUrl: string | URL): ThreadModule<M> {
    return {
      run: (fn, input, transfer) => this.run(moduleUrl, fn, input, transfer),
      each: (fn, input) => this.each(moduleUrl, fn, input),
    };
  }

  private spawn(): Thread {
    // An empty workerData: the `web-worker` package (pulled in by geotiff) destructures it when
    // loaded off the main thread and would throw on undefined.
    const thread: Thread = { worker: new Worker(ENTRY, { workerData: {} }), running: 0 };
    this.threads.push(thread);
    thread.worker.on('message', (m: ReplyMessage) => this.settle(thread, m));
    thread.worker.on('error', (e) => this.lose(thread, reviveError(e)));
    thread.worker.on('exit', (code) =>
      this.lose(thread, new GengbaoError('internal', `worker thread exited with code ${code}`)),
    );
    return thread;
  }

  private settle(thread: Thread, m: ReplyMessage): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.ok) p.resolve(m.value);
    else p.reject(reviveError(m.error));
    if (p.holds) thread.running--;
    this.pump();
  }

  /** A thread that crashed or exited: its calls fail, queued calls go to a fresh one. */
  private lose(thread: Thread, error: Error): void {
    const i = this.threads.indexOf(thread);
    if (i < 0) return;
    this.threads.splice(i, 1);
    for (const [id, p] of this.pending)
      if (p.thread === thread) {
        this.pending.delete(id);
        p.reject(error);
      }
    if (!this.closed) this.pump();
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let thread = this.threads.find((t) => t.running === 0);
      if (!thread) {
        if (this.threads.length >= this.size) return;
        thread = this.spawn();
      }
      const { call, transfer, resolve, reject } = this.queue.shift() as Queued;
      thread.running++;
      this.pending.set(call.id, { thread, holds: true, resolve, reject });
      thread.worker.postMessage(call, transfer);
    }
  }

  /** Stop every thread; calls queued or in flight are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    const error = closedError();
    for (const q of this.queue.splice(0)) q.reject(error);
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
    const all = this.threads.splice(0);
    await Promise.all(all.map((t) => t.worker.terminate()));
  }
}

/** A module's thread functions, typed by the module (ThreadPool.module). */
export interface ThreadModule<M> {
  run<K extends ThreadFn<M>>(
    fn: K,
    input: InputOf<M[K]>,
    transfer?: TransferListItem[],
  ): Promise<OutputOf<M[K]>>;
  each<K extends ThreadFn<M>>(fn: K, input: InputOf<M[K]>): Promise<OutputOf<M[K]>[]>;
}

const closedError = (): GengbaoError => new GengbaoError('internal', 'thread pool is closed');
