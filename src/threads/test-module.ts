/** Thread functions for pool.test.ts and bundle.test.ts. */
import { GengbaoError, type ErrorCode } from '../errors.ts';

export function fail(input: { code?: ErrorCode; field?: string; message: string }): never {
  if (input.code)
    throw new GengbaoError(input.code, input.message, {
      field: input.field,
      details: { at: 'thread' },
    });
  throw new Error(input.message);
}

/** Sums the array, which arrives moved (the sender's copy is detached). */
export function sum(values: Float64Array): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

let calls = 0;
/** Per-thread state: how many times this thread was called. */
export function count(): number {
  return ++calls;
}

/** Waits `ms`, then answers which thread ran it. */
export async function slow(ms: number): Promise<number> {
  await new Promise((r) => setTimeout(r, ms));
  const { threadId } = await import('node:worker_threads');
  return threadId;
}

export function crash(): void {
  // Thrown outside the call: the thread dies with an uncaught exception.
  setTimeout(() => {
    throw new GengbaoError('unsupported', 'thread crashed', { field: 'crash' });
  });
}
