/**
 * `npm run bench:lists` — the 图斑 list under load (issue 25): 200 connections for 20 s on
 * `GET /api/polygons?limit=100` (keyset pages: the first page and the pages after each cursor,
 * spread over the clients), /api/health asked every 250 ms throughout; then, in the same run as
 * the reference, the same load on `?limit=1000` (the ask the issue measured at p99 2.8 s).
 * Writes the results into BENCHMARKS.md.
 *
 * Options: --connections 200 --seconds 20 --data-dir <dir> (reuse a loaded demo directory; by
 * default a temporary one is created and the demo loaded) --user sx.monitor
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import {
  load,
  login,
  sampleHealth,
  startServer,
  warmUp,
  writeSection,
  type HealthSamples,
} from './serve.ts';

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '20' },
    'data-dir': { type: 'string', default: '' },
    user: { type: 'string', default: 'sx.monitor' },
  },
});
const connections = Number(values.connections);
const seconds = Number(values.seconds);
const given = values['data-dir']!;
const dataDir = given || mkdtempSync(join(tmpdir(), 'gengbao-bench-lists-'));
const loadAtStart = load();

const server = await startServer(dataDir);
try {
  const { url } = server;
  const cookie = await login(url, values.user!);
  // The pages a client paging the whole list asks for: the first, then after each cursor.
  const pages: string[] = ['/api/polygons?limit=100'];
  let total = 0;
  for (let next: string | null = pages[0]; next;) {
    const body = (await (await fetch(url + next, { headers: { cookie } })).json()) as {
      items: unknown[];
      nextCursor: string | null;
    };
    total += body.items.length;
    next = body.nextCursor
      ? `/api/polygons?limit=100&cursor=${encodeURIComponent(body.nextCursor)}`
      : null;
    if (next) pages.push(next);
  }
  console.log(`${total} 图斑 in ${pages.length} pages of 100 as ${values.user}`);

  const phase = async (paths: string[]) => {
    const health = sampleHealth(url);
    let i = 0;
    const r = (await autocannon({
      url,
      connections,
      duration: seconds,
      headers: { cookie },
      requests: [
        {
          setupRequest: (req: autocannon.Request) => ({ ...req, path: paths[i++ % paths.length] }),
        },
      ],
    } as autocannon.Options)) as unknown as autocannon.Result;
    return { r, h: await health.stop() };
  };
  await warmUp(url, cookie, [
    '/api/jurisdictions?level=county',
    '/api/me',
    '/api/polygons?limit=100&status=closed',
  ]);
  const keyset = await phase(pages);
  const big = await phase(['/api/polygons?limit=1000']);

  const row = (name: string, { r, h }: { r: autocannon.Result; h: HealthSamples }) =>
    `| ${name} | ${r.requests.total.toLocaleString('en')} | ${r.latency.p50} ms | ${r.latency.p99} ms | ${r.latency.max} ms | ${Math.round(r.requests.average).toLocaleString('en')} req/s | ${r.errors} (${r.timeouts} timeouts) / ${r.non2xx} | ${h.n} asks: p99 ${h.p99} ms, max ${h.max} ms, ${h.over1s} over 1 s, ${h.failed} failed |`;
  const lines = [
    '## 图斑 list under load (`npm run bench:lists`)',
    '',
    `${total.toLocaleString('en')} 图斑 visible to ${values.user}, ${connections} connections for ${seconds} s per phase (autocannon), the server in its own process on embedded PostgreSQL (PGlite), /api/health asked every 250 ms throughout each phase; ${cpus().length} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 16)}Z, 1-minute load average ${loadAtStart} at the start (other sessions share the machine).`,
    '',
    '| phase | requests | p50 | p99 | max | throughput | errors / non-2xx | /api/health |',
    '|---|---|---|---|---|---|---|---|',
    row(`keyset pages of 100 (${pages.length} pages, cursors spread over the clients)`, keyset),
    row('reference: `?limit=1000` (the cap) in the same run', big),
    '',
    `Target (issue 25): p99 < 100 ms, no errors, /api/health within 1 s throughout: **${keyset.r.latency.p99 < 100 && keyset.r.errors + keyset.r.non2xx === 0 && keyset.h.over1s === 0 && keyset.h.failed === 0 ? 'met' : 'not met'}** for pages of 100.`,
    `Command: \`npm run bench:lists -- --connections ${connections} --seconds ${seconds}\`.`,
  ];
  console.log(lines.join('\n'));
  writeSection('lists', lines);
} finally {
  await server.stop();
  if (!given) rmSync(dataDir, { recursive: true, force: true });
}
