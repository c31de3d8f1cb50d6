/**
 * Helpers of the HTTP benchmarks: Gengbao in its own process (so the load generator does not
 * share its event loop), a login, /api/health sampled while the load runs, and a section of
 * BENCHMARKS.md rewritten between its markers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';

const BIN = new URL('../bin/gengbao.js', import.meta.url).pathname;

export interface Served {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** `gengbao start` on a data directory (the demo is loaded into an empty one), on a free port. */
export async function startServer(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'start'], {
    env: {
      ...process.env,
      GENGBAO_DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      GENGBAO_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /serving (http:\/\/localhost:\d+)/.exec(out);
      if (m) resolve(m[1].replace('localhost', '127.0.0.1'));
    });
    child.on('exit', (code) =>
      reject(new Error(`server exited (${code}) before serving:\n${out}`)),
    );
  });
  return {
    url,
    child,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/** The session cookie of a demo account. */
export async function login(url: string, username: string): Promise<string> {
  const r = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'gengbao-demo' }),
  });
  if (!r.ok) throw new Error(`login ${username}: ${r.status}`);
  return r.headers.get('set-cookie')!.split(';')[0];
}

export interface HealthSamples {
  n: number;
  max: number;
  p99: number;
  over1s: number;
  failed: number;
}

/** Asks /api/health every `everyMs` until stopped; a probe not answered in 5 s counts as failed. */
export function sampleHealth(url: string, everyMs = 250): { stop(): Promise<HealthSamples> } {
  const times: number[] = [];
  let failed = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const t0 = performance.now();
      try {
        const r = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5000) });
        await r.arrayBuffer();
        if (r.status !== 200) failed++;
      } catch {
        failed++;
      }
      times.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      const sorted = [...times].sort((a, b) => a - b);
      return {
        n: times.length,
        max: Math.round(sorted.at(-1) ?? 0),
        p99: Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0),
        over1s: times.filter((t) => t > 1000).length,
        failed,
      };
    },
  };
}

/** The 1-minute load average, for the record of how busy the shared machine was. */
export const load = () => loadavg()[0].toFixed(1);

/** Replaces (or appends) the section between `<!-- bench:tag -->` and `<!-- /bench:tag -->`. */
export function writeSection(tag: string, body: string[]): void {
  const file = new URL('../BENCHMARKS.md', import.meta.url);
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const re = new RegExp(`<!-- bench:${tag} -->[\\s\\S]*?<!-- /bench:${tag} -->`);
  const section = [`<!-- bench:${tag} -->`, ...body, `<!-- /bench:${tag} -->`].join('\n');
  writeFileSync(
    file,
    re.test(old) ? old.replace(re, () => section) : `${old.trimEnd()}\n\n${section}\n`,
  );
}

/**
 * A few seconds of load on paths outside the measured set, so a phase measures a server that
 * has been running (JIT, session and stamp caches, the pre-build's first pass at start), not
 * one that started a moment ago.
 */
export async function warmUp(
  url: string,
  cookie: string,
  paths: string[],
  seconds = 3,
): Promise<void> {
  const autocannon = (await import('autocannon')).default;
  let i = 0;
  await autocannon({
    url,
    connections: 20,
    duration: seconds,
    headers: { cookie },
    requests: [
      { setupRequest: (req: { path: string }) => ({ ...req, path: paths[i++ % paths.length] }) },
    ],
  } as never);
}
