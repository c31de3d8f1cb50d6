import { spawn, type ChildProcess } from 'node:child_process';

/** A `gengbao` process run as an operator would: plain Node on bin/gengbao.js. */
export const BIN = new URL('../../bin/gengbao.js', import.meta.url).pathname;

export interface Proc {
  child: ChildProcess;
  output: () => string;
  waitFor(text: string | RegExp, ms?: number): Promise<string>;
  exited: Promise<number | null>;
}

/** Runs `gengbao <args>` with `env` over this process's environment; `stdin` is piped in when given. */
export function gengbao(args: string[], env: Record<string, string>, stdin?: string): Proc {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, GENGBAO_LOG_LEVEL: 'warn', ...env },
    stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (stdin !== undefined) child.stdin!.end(stdin);
  let out = '';
  const listeners: Array<() => void> = [];
  const onData = (d: Buffer) => {
    out += d;
    listeners.forEach((l) => l());
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return {
    child,
    output: () => out,
    exited,
    waitFor(text, ms = 150_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`timed out waiting for ${text}; output:\n${out}`)),
          ms,
        );
        const check = () => {
          const m = typeof text === 'string' ? out.includes(text) && text : out.match(text)?.[0];
          if (m) {
            clearTimeout(timer);
            resolve(m);
          }
        };
        listeners.push(check);
        exited.then(() =>
          setTimeout(
            () => reject(new Error(`exited while waiting for ${text}; output:\n${out}`)),
            50,
          ),
        );
        check();
      });
    },
  };
}

/**
 * Starts `gengbao worker --concurrency 1` on the database at `url` (with `env` added) and
 * resolves once it says it waits for jobs; rejects with its output if it exits first.
 */
export async function startWorker(
  url: string,
  name: string,
  env: Record<string, string> = {},
): Promise<ChildProcess> {
  const worker = gengbao(['worker', '--name', name, '--concurrency', '1'], {
    DATABASE_URL: url,
    ...env,
  });
  await worker.waitFor('waiting for jobs');
  return worker.child;
}
