// The body of every pool thread (pool.ts): on each CallMessage (messages.ts), import the named
// module, call the named export with the input and post a ReplyMessage back. Domain modules
// stay ignorant of threads: a thread function is an ordinary exported function; one that keeps
// state between calls (detection's opened scenes) keeps it in its module, one copy per thread.
//
// Plain JavaScript on purpose: a worker's entry is loaded before any hook could teach Node
// TypeScript (Node 20 does not pass the main thread's tsx loader on to workers), so this file
// registers tsx itself — only when a .ts module is asked for: a prebuilt bundle (bundle.ts)
// starts without it.
import { parentPort } from 'node:worker_threads';

/** @type {Promise<unknown> | undefined} */
let tsx;
/** Module namespaces by URL: the loader is asked once per module, not once per call. */
const modules = new Map();

function load(url) {
  let mod = modules.get(url);
  if (!mod) {
    mod = (async () => {
      if (/\.[cm]?ts$/.test(new URL(url).pathname)) {
        tsx ??= import('tsx/esm/api').then((api) => api.register());
        await tsx;
      }
      return import(url);
    })();
    modules.set(url, mod);
  }
  return mod;
}

/** An error as plain data (messages.ts, WireError): cloning would drop code, field and details. */
function toWire(e) {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e) };
  const w = { name: e.name, message: e.message, stack: e.stack };
  if (e.code !== undefined) w.code = e.code;
  if (e.field !== undefined) w.field = e.field;
  if (e.details !== undefined) w.details = e.details;
  return w;
}

function fail(id, e) {
  const error = toWire(e);
  try {
    parentPort.postMessage({ id, ok: false, error });
  } catch {
    // Details that cannot be cloned (a function, a socket) are dropped, not the error.
    delete error.details;
    parentPort.postMessage({ id, ok: false, error });
  }
}

parentPort.on('message', async ({ id, moduleUrl, fn, input }) => {
  let value;
  try {
    const mod = await load(moduleUrl);
    if (typeof mod[fn] !== 'function') throw new Error(`${moduleUrl} has no export ${fn}`);
    value = await mod[fn](input);
  } catch (e) {
    return fail(id, e);
  }
  try {
    parentPort.postMessage({ id, ok: true, value });
  } catch (e) {
    fail(id, e); // a result that cannot be cloned
  }
});
