/**
 * `npm run bench:tiles`: map tiles under concurrent load. Starts Gengbao with the demo region
 * in a child process (so the load generator does not share its event loop), logs in as the
 * 泽州县 county officer and hammers vector tiles of 图斑, farmland and township boundaries over
 * a 0.2° × 0.2° block at the county's centre (about two townships) at zooms 11–15 with
 * autocannon (200 connections):
 *   1. cold: every distinct tile once, nothing cached yet (each is a store query + MVT encode);
 *   2. warm: random tiles from the same set for a fixed time (the LRU answers).
 * Prints and writes p50/p99 latency and throughput to BENCHMARKS.md. Target: p99 < 100 ms.
 *
 * Options: --connections 200 --seconds 15 --data-dir <dir> (reuse a loaded demo directory;
 * by default a temporary one is created and the demo loaded, which takes a minute).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const connections = Number(arg('connections', '200'));
const seconds = Number(arg('seconds', '15'));
const given = arg('data-dir', '');
const dataDir = given || mkdtempSync(join(tmpdir(), 'gengbao-bench-tiles-'));

const BIN = new URL('../bin/gengbao.js', import.meta.url).pathname;
const child = spawn(process.execPath, [BIN, 'start'], {
  env: {
    ...process.env,
    GENGBAO_DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    GENGBAO_LOG_LEVEL: 'warn',
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
  child.on('exit', (code) => reject(new Error(`server exited (${code}) before serving:\n${out}`)));
});
console.log(`server at ${url}`);

try {
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'zz.officer', password: 'gengbao-demo' }),
  });
  const cookie = login.headers.get('set-cookie')!.split(';')[0];
  const county = (await (
    await fetch(`${url}/api/jurisdictions/140525`, { headers: { cookie } })
  ).json()) as { bbox: number[] };
  const [cx, cy] = [(county.bbox[0] + county.bbox[2]) / 2, (county.bbox[1] + county.bbox[3]) / 2];
  const [w, s, e, n] = [cx - 0.1, cy - 0.1, cx + 0.1, cy + 0.1];

  // Every tile over that block at zooms 11–15 for three layers (OSM slippy-map formula).
  const tx = (lon: number, z: number) => Math.floor(((lon + 180) / 360) * 2 ** z);
  const ty = (lat: number, z: number) =>
    Math.floor(((1 - Math.asinh(Math.tan((lat * Math.PI) / 180)) / Math.PI) / 2) * 2 ** z);
  const paths: string[] = [];
  for (const layer of ['polygons', 'farmland', 'township'])
    for (let z = 11; z <= 15; z++)
      for (let x = tx(w, z); x <= tx(e, z); x++)
        for (let y = ty(n, z); y <= ty(s, z); y++)
          paths.push(`/api/tiles/${layer}/${z}/${x}/${y}.mvt`);
  console.log(`${paths.length} distinct tiles`);

  const run = (opts: Partial<autocannon.Options>) =>
    autocannon({
      url,
      connections,
      headers: { cookie },
      ...opts,
    } as autocannon.Options) as unknown as Promise<autocannon.Result>;

  let next = 0;
  const cold = await run({
    amount: paths.length,
    requests: [
      {
        setupRequest: (req: autocannon.Request) => ({ ...req, path: paths[next++ % paths.length] }),
      },
    ],
  });
  const warm = await run({
    duration: seconds,
    requests: [
      {
        setupRequest: (req: autocannon.Request) => ({
          ...req,
          path: paths[Math.floor(Math.random() * paths.length)],
        }),
      },
    ],
  });
  const row = (name: string, r: autocannon.Result) =>
    `| ${name} | ${r.requests.total.toLocaleString('en')} | ${r.latency.p50} ms | ${r.latency.p99} ms | ${Math.round(r.requests.average).toLocaleString('en')} req/s | ${(r.throughput.average / 1e6).toFixed(1)} MB/s | ${r.non2xx + r.errors} |`;
  const ok = warm.latency.p99 < 100;
  const lines = [
    '<!-- bench:tiles -->',
    '## Map tiles under load (`npm run bench:tiles`)',
    '',
    `Vector tiles (图斑, farmland, township boundaries) over a 0.2° × 0.2° block at the centre of 泽州县, zooms 11–15 — ${paths.length.toLocaleString('en')} distinct tiles — as the county officer, ${connections} concurrent connections (autocannon), server in its own process with embedded PostgreSQL (PGlite); ${cpus().length} cores, Node ${process.version}:`,
    '',
    '| phase | requests | p50 | p99 | throughput | bytes | errors/non-2xx |',
    '|---|---|---|---|---|---|---|',
    row('cold (each tile once, nothing cached)', cold),
    row(`warm (random tiles, ${seconds} s)`, warm),
    '',
    `Target p99 < 100 ms at 200 clients: **${ok ? 'met' : 'not met'}** in the warm phase (${warm.latency.p99} ms); cold tiles are built from box queries on the store and encoded with geojson-vt + vt-pbf, then kept in an LRU keyed by scope and data stamp.`,
    'Every request resolves its session first (`src/services/auth.ts`, resolved sessions kept in memory for 5 s); before that cache, the UPDATE of `auth_tokens.last_used_at` plus a SELECT on every request held the warm phase at ~400 req/s with p99 above 1 s on this machine.',
    `Command: \`npm run bench:tiles -- --connections ${connections} --seconds ${seconds}\`. The machine is shared and noisy.`,
    '<!-- /bench:tiles -->',
  ];
  console.log(lines.slice(3, -1).join('\n'));
  const file = new URL('../BENCHMARKS.md', import.meta.url);
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const re = /<!-- bench:tiles -->[\s\S]*?<!-- \/bench:tiles -->/;
  const section = lines.join('\n');
  writeFileSync(file, re.test(old) ? old.replace(re, section) : `${old.trimEnd()}\n\n${section}\n`);
  console.log('BENCHMARKS.md updated');
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  if (!given) rmSync(dataDir, { recursive: true, force: true });
}
