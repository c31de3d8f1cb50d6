/**
 * `npm run bench:tiles`: map tiles under concurrent load. Builds the low zooms ahead onto disk
 * (src/server/tiles/prebuild.ts, what the server does after every import or detection run),
 * starts Gengbao with the demo region in a child process (so the load generator does not share
 * its event loop), logs in as the 泽州县 county officer and asks for vector tiles of 图斑,
 * farmland and township boundaries over a 0.2° × 0.2° block at the county's centre, zooms 11–15,
 * with autocannon (200 connections):
 *   1. cold, built ahead: every tile of the zooms the pre-build covers, once each, from a server
 *      that has built none of them in memory (each client on a different tile);
 *   2. cold, built on request (the reference in the same run): every tile above those zooms once;
 *   3. warm: random tiles from the whole set for a fixed time (the in-memory LRU answers).
 * Prints and writes p50/p99 latency and throughput to BENCHMARKS.md. Target: p99 < 100 ms.
 *
 * Options: --connections 200 --seconds 15 --data-dir <dir> (reuse a loaded demo directory; its
 * tiles/ folder is emptied first; by default a temporary one is created and the demo loaded).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { openMigratedDb } from '../src/store/open.ts';
import { TileFiles } from '../src/store/tile-files.ts';
import { PREBUILD_MAX_ZOOM, prebuildTiles } from '../src/server/tiles/prebuild.ts';
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
    seconds: { type: 'string', default: '15' },
    'data-dir': { type: 'string', default: '' },
  },
});
const connections = Number(values.connections);
const seconds = Number(values.seconds);
const given = values['data-dir']!;
const dataDir = given || mkdtempSync(join(tmpdir(), 'gengbao-bench-tiles-'));
const loadAtStart = load();

// A first start loads the demo into an empty directory; the pre-build needs its data.
if (!given) await (await startServer(dataDir)).stop();
rmSync(join(dataDir, 'tiles'), { recursive: true, force: true });
const db = await openMigratedDb({ GENGBAO_DATA_DIR: dataDir, DATABASE_URL: undefined });
const ahead = await prebuildTiles(db, new TileFiles(join(dataDir, 'tiles')), { yieldEvery: 1000 });
await db.close();
console.log(
  `built ahead: ${ahead.built} tiles for ${ahead.scopes} scopes in ${(ahead.ms / 1000).toFixed(1)} s`,
);

const server = await startServer(dataDir);
try {
  const { url } = server;
  const cookie = await login(url, 'zz.officer');
  const county = (await (
    await fetch(`${url}/api/jurisdictions/140525`, { headers: { cookie } })
  ).json()) as { bbox: number[] };
  const [cx, cy] = [(county.bbox[0] + county.bbox[2]) / 2, (county.bbox[1] + county.bbox[3]) / 2];
  const [w, s, e, n] = [cx - 0.1, cy - 0.1, cx + 0.1, cy + 0.1];

  // Every tile over that block at zooms 11–15 for three layers (OSM slippy-map formula).
  const tx = (lon: number, z: number) => Math.floor(((lon + 180) / 360) * 2 ** z);
  const ty = (lat: number, z: number) =>
    Math.floor(((1 - Math.asinh(Math.tan((lat * Math.PI) / 180)) / Math.PI) / 2) * 2 ** z);
  const builtAhead: string[] = [];
  const onRequest: string[] = [];
  for (const layer of ['polygons', 'farmland', 'township'])
    for (let z = 11; z <= 15; z++)
      for (let x = tx(w, z); x <= tx(e, z); x++)
        for (let y = ty(n, z); y <= ty(s, z); y++)
          (z <= (PREBUILD_MAX_ZOOM[layer] ?? 12) ? builtAhead : onRequest).push(
            `/api/tiles/${layer}/${z}/${x}/${y}.mvt`,
          );
  const all = [...builtAhead, ...onRequest];
  console.log(
    `${all.length} distinct tiles: ${builtAhead.length} in zooms built ahead, ${onRequest.length} above them`,
  );

  const run = async (opts: Partial<autocannon.Options>) => {
    const health = sampleHealth(url);
    const r = (await autocannon({
      url,
      connections,
      headers: { cookie },
      ...opts,
    } as autocannon.Options)) as unknown as autocannon.Result;
    return { r, h: await health.stop() };
  };
  const once = (paths: string[]) => {
    let next = 0;
    return run({
      amount: paths.length,
      requests: [
        {
          setupRequest: (req: autocannon.Request) => ({
            ...req,
            path: paths[next++ % paths.length],
          }),
        },
      ],
    });
  };
  // County outlines at zooms 5–8 over the county: not in the measured set.
  const outside: string[] = [];
  for (let z = 5; z <= 8; z++)
    for (let x = tx(county.bbox[0], z); x <= tx(county.bbox[2], z); x++)
      for (let y = ty(county.bbox[3], z); y <= ty(county.bbox[1], z); y++)
        outside.push(`/api/tiles/county/${z}/${x}/${y}.mvt`);
  await warmUp(url, cookie, outside);
  const coldAhead = await once(builtAhead);
  const coldOnRequest = await once(onRequest);
  const warm = await run({
    duration: seconds,
    requests: [
      {
        setupRequest: (req: autocannon.Request) => ({
          ...req,
          path: all[Math.floor(Math.random() * all.length)],
        }),
      },
    ],
  });

  const row = (name: string, { r, h }: { r: autocannon.Result; h: HealthSamples }) =>
    `| ${name} | ${r.requests.total.toLocaleString('en')} | ${r.latency.p50} ms | ${r.latency.p99} ms | ${Math.round(r.requests.average).toLocaleString('en')} req/s | ${r.errors} / ${r.non2xx} | p99 ${h.p99} ms, max ${h.max} ms (${h.n} asks) |`;
  const lines = [
    '## Map tiles under load (`npm run bench:tiles`)',
    '',
    `Vector tiles (图斑, farmland, township boundaries) over a 0.2° × 0.2° block at the centre of 泽州县, zooms 11–15 — ${all.length.toLocaleString('en')} distinct tiles — as the county officer, ${connections} concurrent connections (autocannon), server in its own process with embedded PostgreSQL (PGlite), /api/health asked every 250 ms; ${cpus().length} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 16)}Z, 1-minute load average ${loadAtStart} at the start (other sessions share the machine).`,
    `Built ahead before the server started (the pass the server runs after every import or detection run): ${ahead.built.toLocaleString('en')} tiles for ${ahead.scopes} scopes (province, city, counties) in ${(ahead.ms / 1000).toFixed(1)} s — 图斑 to zoom ${PREBUILD_MAX_ZOOM.polygons}, other layers to 12.`,
    '',
    '| phase | requests | p50 | p99 | throughput | errors / non-2xx | /api/health |',
    '|---|---|---|---|---|---|---|',
    row(`cold, zooms built ahead (${builtAhead.length} tiles, each once)`, coldAhead),
    row(
      `cold, built on request — reference (${onRequest.length} tiles above those zooms, each once)`,
      coldOnRequest,
    ),
    row(`warm (random tiles of all ${all.length}, ${seconds} s)`, warm),
    '',
    `Target p99 < 100 ms at ${connections} clients: cold from the tiles built ahead **${coldAhead.r.latency.p99 < 100 ? 'met' : 'not met'}** (${coldAhead.r.latency.p99} ms), cold on request ${coldOnRequest.r.latency.p99} ms, warm **${warm.r.latency.p99 < 100 ? 'met' : 'not met'}** (${warm.r.latency.p99} ms).`,
    `Command: \`npm run bench:tiles -- --connections ${connections} --seconds ${seconds}\`.`,
  ];
  console.log(lines.join('\n'));
  writeSection('tiles', lines);
} finally {
  await server.stop();
  if (!given) rmSync(dataDir, { recursive: true, force: true });
}
