/**
 * What crosses between the main thread and a pool thread (pool.ts ↔ worker-entry.mjs). One
 * shape for every use: a call names a module, one of its exports and the input; the reply
 * carries the result or the error as plain data (revive-error.ts turns it back into one).
 */

/** Main thread → thread: run `fn(input)` from the module at `moduleUrl`. */
export interface CallMessage {
  id: number;
  moduleUrl: string;
  fn: string;
  input: unknown;
}

/** Thread → main thread: the call's result, or the error it threw. */
export type ReplyMessage =
  { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WireError };

/**
 * An error as plain data. Structured cloning keeps an Error's name, message and stack but
 * drops its own fields, so a GengbaoError's code, field and details travel beside them.
 */
export interface WireError {
  name: string;
  message: string;
  stack?: string;
  code?: unknown;
  field?: unknown;
  details?: unknown;
}

/** The exports of module M that a thread can call: functions of (at most) one argument. */
export type ThreadFn<M> = {
  [K in keyof M]: M[K] extends (input: never) => unknown ? K : never;
}[keyof M] &
  string;

/** The input a thread function takes. */
export type InputOf<F> = F extends () => unknown
  ? undefined
  : F extends (input: infer I) => unknown
    ? I
    : never;

/** What a thread function's promise resolves to. */
export type OutputOf<F> = F extends (...args: never[]) => infer R ? Awaited<R> : never;
