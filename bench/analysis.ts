/**
 * `npm run bench:analysis` — the `analysis.period` job (套合 of the demo's 2026-11 图斑 in the
 * store) with a big farmland layer beside the demo's, against PostGIS overlaying the same 图斑
 * with the same parcels, in the same run (issue 25):
 *   - the demo's jurisdictions, layers and 图斑 into a fresh embedded store (PGlite), then
 *     `--parcels` parcels from ../shared/tools/make_parcels.py imported as one more farmland
 *     layer the way `gengbao import layer` does (they lie around 112.8° E 35.5° N, in 泽州县 and
 *     the city district, among the demo's 图斑);
 *   - the job's use case timed in this process: wall seconds, the peak RSS (sampled every 20 ms;
 *     PGlite's memory is in it), the longest the event loop was held (what a request waits), the
 *     reference features it read;
 *   - per batch of the features the store hands over (OVERLAY_BATCH): the seconds to overlay it and to clone
 *     it (what sending it to a worker thread would cost this thread), which decide whether the
 *     overlay runs here or on a thread;
 *   - PostGIS: `postgis_overlay.sh` on the same parcels and the period's 图斑 (farmland only).
 *
 * usage: npm run bench:analysis [-- --parcels 200000 --db postgresql://… --no-write]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { hashPassword } from '../src/accounts/password.ts';
import { OverlayAccumulator } from '../src/analyze/accumulator.ts';
import { analysisConfig } from '../src/analyze/config.ts';
import { insertDemoGeography } from '../src/demo/load.ts';
import { buildDemoRegion } from '../src/demo/region.ts';
import type { Areal, Feature, Polygon } from '../src/geo/types.ts';
import { buildServices } from '../src/services/container.ts';
import { SYSTEM_ACTOR } from '../src/services/cases.ts';
import { importLayer, importPolygonBatch } from '../src/services/imports.ts';
import { OVERLAY_BATCH } from '../src/services/analysis.ts';
import type { JobRun } from '../src/services/job-run.ts';
import { migrate } from '../src/store/migrate.ts';
import { openPglite } from '../src/store/pglite.ts';
import { listPolygons } from '../src/store/polygons.ts';
import { referenceFeaturesTouching } from '../src/store/reference.ts';
import { Scope } from '../src/store/scope.ts';
import { insertUser } from '../src/store/users.ts';
import { load, writeSection } from './serve.ts';

const root = resolve(import.meta.dirname, '..');
const tools = resolve(root, '../shared/tools');
const { values } = parseArgs({
  options: {
    parcels: { type: 'string', default: '200000' },
    polygons: { type: 'string', default: '2000' },
    db: { type: 'string', default: 'postgresql://postgres@127.0.0.1:5432/postgres' },
    'no-write': { type: 'boolean', default: false },
  },
});
const PERIOD = '2026-11';
const parcels = Number(values.parcels);
const extra = Number(values.polygons);
const dir = join(root, 'data/bench', `parcels-${parcels}-${extra}`);
if (!existsSync(join(dir, 'parcels.geojsonl')))
  execFileSync(
    'python3',
    [
      join(tools, 'make_parcels.py'),
      '--parcels',
      `${parcels}`,
      '--polygons',
      `${extra}`,
      '--out',
      dir,
    ],
    { stdio: 'inherit' },
  );
const loadAtStart = load();

const dataDir = mkdtempSync(join(tmpdir(), 'gengbao-bench-analysis-'));
const db = await openPglite(join(dataDir, 'db'));
await migrate(db);
const region = buildDemoRegion();
await insertDemoGeography(db, region);
const system = Scope.system();
const user = await insertUser(db, system, {
  username: 'bench.monitor',
  displayName: 'bench',
  passwordHash: await hashPassword('bench-analysis'),
  role: 'province_monitor',
  jurisdictionCode: '140000',
});
const t0 = performance.now();
const imported = await importLayer(db, system, {
  kind: 'farmland',
  path: join(dir, 'parcels.geojsonl'),
  jurisdictionCode: '140500',
});
const importS = (performance.now() - t0) / 1000;
console.log(`imported ${imported.report.accepted} parcels in ${importS.toFixed(1)} s`);
// The change polygons drawn over the same parcels join the period, as a batch from above would.
if (extra > 0)
  await importPolygonBatch(db, system, SYSTEM_ACTOR, {
    path: join(dir, 'polygons.geojsonl'),
    period: PERIOD,
  });
await db.query('ANALYZE');

const polygons = await listPolygons(db, system, {
  period: PERIOD,
  withGeometry: true,
  limit: 10000,
});
const boxes = polygons.map((p) => p.bbox);

// Per batch: overlay it here, or clone it (the cost on this thread of posting it to a worker).
const acc = new OverlayAccumulator(
  polygons.map((p): Feature => ({
    type: 'Feature',
    id: p.id,
    geometry: p.geometry as Areal,
    properties: {},
  })),
  analysisConfig({}),
);
const perBatch = { batches: 0, fetchMs: 0, overlayMs: 0, cloneMs: 0, maxOverlayMs: 0 };
const stream = referenceFeaturesTouching(db, system, boxes, OVERLAY_BATCH);
for (;;) {
  let t = performance.now();
  const next = await stream.next();
  perBatch.fetchMs += performance.now() - t;
  if (next.done) break;
  const batch = next.value;
  const features = batch.map((f): Feature => ({
    type: 'Feature',
    id: f.id,
    geometry: f.geometry!,
    properties: f.properties,
  }));
  t = performance.now();
  structuredClone(features);
  perBatch.cloneMs += performance.now() - t;
  t = performance.now();
  for (const [i, f] of features.entries()) acc.addLayerFeature(batch[i].kind, f);
  const ms = performance.now() - t;
  perBatch.overlayMs += ms;
  perBatch.maxOverlayMs = Math.max(perBatch.maxOverlayMs, ms);
  perBatch.batches++;
}

// The job's use case, as the runner calls it.
const services = buildServices({
  db,
  dataDir,
  authPolicy: { sessionHours: 12, maxFailures: 5, windowMinutes: 15 },
});
const progress: string[] = [];
const marks = new Map<number, number>();
const holds: string[] = [];
let stretch = 'start';
let longest = 0;
const run: JobRun = {
  jobId: 'bench',
  scope: system,
  actorId: user.id,
  progress: async (f, m) => {
    // The longest hold of each stretch between progress marks, to say which part holds it.
    longest = Math.max(longest, loop.max);
    if (loop.max > 100e6) holds.push(`${stretch}: ${(loop.max / 1e6).toFixed(0)} ms`);
    loop.reset();
    stretch = m ?? stretch;
    if (!marks.has(f)) marks.set(f, performance.now() - t1);
    progress.push(`${((performance.now() - t1) / 1000).toFixed(1)} s ${f.toFixed(2)} ${m ?? ''}`);
  },
};
const loop = monitorEventLoopDelay({ resolution: 5 });
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);
const rssBefore = process.memoryUsage().rss;
loop.enable();
const t1 = performance.now();
const result = await services.analysis.analysePeriod(run, PERIOD);
const jobS = (performance.now() - t1) / 1000;
loop.disable();
longest = Math.max(longest, loop.max);
clearInterval(sampler);
const loadAtJob = load();
console.log(progress.join('\n'));
console.log('holds over 100 ms, by the stretch after the progress message:', holds);
console.log(result);

// PostGIS: the same 图斑 against the same parcels (WKT, as postgis_overlay.sh loads them).
const pgDir = join(dir, 'postgis-demo-period');
mkdirSync(pgDir, { recursive: true });
const wkt = (g: Polygon) =>
  `POLYGON(${g.coordinates.map((r) => `(${r.map(([x, y]) => `${x} ${y}`).join(',')})`).join(',')})`;
writeFileSync(
  join(pgDir, 'polygons.csv'),
  polygons.map((p) => `${p.id}\t${wkt(p.geometry as Polygon)}\n`).join(''),
);
rmSync(join(pgDir, 'parcels.csv'), { force: true });
execFileSync('ln', ['-s', join(dir, 'parcels.csv'), join(pgDir, 'parcels.csv')]);
const pg = spawnSync('bash', [join(tools, 'postgis_overlay.sh'), pgDir, values.db!], {
  encoding: 'utf8',
});
const postgis = pg.status === 0 ? Number(/overlay ([\d.]+) s/.exec(pg.stdout)![1]) : NaN;
if (pg.status !== 0) console.error(`postgis_overlay.sh failed: ${pg.stderr}`);

await services.close();
await db.close();
rmSync(dataDir, { recursive: true, force: true });

const mb = (b: number) => (b / 2 ** 20).toFixed(0);
const overlayS = ((marks.get(0.7) ?? NaN) - (marks.get(0.1) ?? NaN)) / 1000;
const lines = [
  '### Latest run of `npm run bench:analysis`',
  '',
  `The \`analysis.period\` use case on the ${polygons.length} 图斑 of ${PERIOD} (the demo's and ${extra} change polygons of make_parcels.py as a batch), with ${parcels.toLocaleString('en')} more farmland parcels (make_parcels.py) imported beside the demo's layers into PGlite (import ${importS.toFixed(1)} s). Load average ${loadAtStart} at the start, ${loadAtJob} after the job.`,
  '',
  '| | whole job, s | read + overlay, s | peak RSS | RSS before | longest event-loop hold | reference features read |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  `| analysis.period (embedded) | ${jobS.toFixed(1)} | ${overlayS.toFixed(1)} | ${mb(peakRss)} MB | ${mb(rssBefore)} MB | ${(longest / 1e6).toFixed(0)} ms | ${result.referenceFeatures} |`,
  `| PostGIS, same 图斑 × parcels (farmland only) | | ${postgis.toFixed(1)} | | | | |`,
  '',
  `Per batch of the store's stream (${perBatch.batches} batches of up to ${OVERLAY_BATCH} features, this thread): read ${(perBatch.fetchMs / perBatch.batches).toFixed(0)} ms, overlay ${(perBatch.overlayMs / perBatch.batches).toFixed(0)} ms on average (longest ${perBatch.maxOverlayMs.toFixed(0)} ms), clone for a worker thread ${(perBatch.cloneMs / perBatch.batches).toFixed(0)} ms.`,
];
console.log(lines.join('\n'));
// Its own section: the one above it (`bench:analysis`) keeps the runs before and after by hand.
if (!values['no-write']) writeSection('analysis-latest', lines);
