// The body of every pool thread: import the named module, call the named export with the
// input, post the result back. Domain modules stay ignorant of threads.
// Plain JavaScript on purpose: a worker's entry file is loaded before any --import hook could
// teach Node TypeScript, so this file registers tsx itself and then imports the .ts modules.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();

parentPort.on('message', async (msg) => {
  try {
    const mod = await import(msg.moduleUrl);
    const f = mod[msg.fn];
    if (typeof f !== 'function') throw new Error(`${msg.moduleUrl} has no export ${msg.fn}`);
    parentPort.postMessage({ id: msg.id, ok: true, value: await f(msg.input) });
  } catch (e) {
    parentPort.postMessage({ id: msg.id, ok: false, error: { name: e.name, message: e.message, code: e.code, field: e.field } });
  }
});
