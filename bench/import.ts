/**
 * `npm run bench:import` — a 1 M-parcel reference layer into Gengbao against PostGIS's load +
 * index of the same parcels, in the same run (issue 25: embedded ≤ 3×, server mode ≤ 1.5×):
 *   - PostGIS: `../shared/tools/postgis_overlay.sh` (\copy of WKT, ST_GeomFromText, GiST
 *     index, ANALYZE), its "load+index" phase;
 *   - embedded: `gengbao import layer --kind farmland parcels.geojsonl` into a copy of the demo
 *     data directory (PGlite), the whole CLI run timed (start-up, read, validate, place each
 *     parcel in its village, areas, COPY, indexes, ANALYZE);
 *   - server mode: the same command with DATABASE_URL, into a database holding the demo.
 *
 * usage: npm run bench:import [-- --parcels 1000000 --polygons 20000 --demo-dir <loaded demo dir> --db postgresql://…]
 * Data from ../shared/tools/make_parcels.py (as bench:overlay makes it, under data/bench/).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { load, writeSection } from './serve.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tools = resolve(root, '../shared/tools');
const BIN = join(root, 'bin/gengbao.js');
const { values } = parseArgs({
  options: {
    parcels: { type: 'string', default: '1000000' },
    polygons: { type: 'string', default: '20000' },
    'demo-dir': { type: 'string', default: '' },
    db: { type: 'string', default: 'postgresql://postgres@127.0.0.1:5432/postgres' },
    'skip-server': { type: 'boolean', default: false },
  },
});
const dir = join(root, 'data/bench', `parcels-${values.parcels}-${values.polygons}`);
const file = join(dir, 'parcels.geojsonl');
if (!existsSync(file))
  execFileSync(
    'python3',
    [
      join(tools, 'make_parcels.py'),
      '--parcels',
      values.parcels!,
      '--polygons',
      values.polygons!,
      '--out',
      dir,
    ],
    { stdio: 'inherit' },
  );
const loadAtStart = load();

/** Runs the CLI and returns its wall seconds and peak RSS (MB, from /usr/bin/time). */
function timed(args: string[], env: Record<string, string>) {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'RSS %M', process.execPath, BIN, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  const s = (performance.now() - t0) / 1000;
  if (r.status !== 0)
    throw new Error(`gengbao ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return { s, rssMb: Number(/RSS (\d+)/.exec(r.stderr)?.[1] ?? 0) / 1024, out: r.stdout };
}

// A loaded demo directory to copy (the demo is loaded into a fresh one when none is given).
const demo = values['demo-dir'] || mkdtempSync(join(tmpdir(), 'gengbao-bench-demo-'));
if (!values['demo-dir']) timed(['demo'], { GENGBAO_DATA_DIR: demo });

// PostGIS first: its load + index phase.
const pg = spawnSync('bash', [join(tools, 'postgis_overlay.sh'), dir, values.db!], {
  encoding: 'utf8',
});
if (pg.status !== 0) throw new Error(`postgis_overlay.sh failed: ${pg.stderr}`);
const postgis = Number(/load\+index ([\d.]+) s/.exec(pg.stdout)![1]);
console.log(`PostGIS load+index: ${postgis.toFixed(1)} s`);

// Embedded: into a copy of the demo directory.
const copy = mkdtempSync(join(tmpdir(), 'gengbao-bench-import-'));
cpSync(demo, copy, { recursive: true, filter: (src) => !/[/\\](tiles|[^/\\]*\.lock)$/.test(src) });
const embedded = timed(['import', 'layer', '--kind', 'farmland', file], { GENGBAO_DATA_DIR: copy });
rmSync(copy, { recursive: true, force: true });
console.log(`embedded: ${embedded.s.toFixed(1)} s, ${embedded.rssMb.toFixed(0)} MB`);

// Server mode: a database holding the demo, then the same import.
let server: { s: number; rssMb: number } | null = null;
if (!values['skip-server']) {
  const admin = new URL(values.db!);
  const name = 'gengbao_bench_import';
  const psql = (sql: string) =>
    execFileSync('psql', ['-q', '-X', '-v', 'ON_ERROR_STOP=1', admin.toString(), '-c', sql]);
  psql(`DROP DATABASE IF EXISTS ${name}`);
  psql(`CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const env = {
    DATABASE_URL: url.toString(),
    GENGBAO_DATA_DIR: mkdtempSync(join(tmpdir(), 'gengbao-bench-srv-')),
  };
  timed(['demo'], env);
  server = timed(['import', 'layer', '--kind', 'farmland', file], env);
  psql(`DROP DATABASE IF EXISTS ${name}`);
  rmSync(env.GENGBAO_DATA_DIR, { recursive: true, force: true });
  console.log(`server mode: ${server.s.toFixed(1)} s`);
}

const n = Number(values.parcels).toLocaleString('en');
const lines = [
  '## Reference layer import (`npm run bench:import`)',
  '',
  `${n} \`make_parcels.py\` parcels (GeoJSON lines, ${(Number(spawnSync('stat', ['-c', '%s', file], { encoding: 'utf8' }).stdout) / 1e6).toFixed(0)} MB) as farmland, same run, ${cpus().length} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 16)}Z, 1-minute load average ${loadAtStart} at the start (other sessions share the machine). Gengbao: the whole \`gengbao import layer\` run (start-up, read and validate, each parcel placed in its village, ellipsoidal areas, COPY in one transaction, indexes built after the load, ANALYZE) into the Jincheng demo; PostGIS: \`postgis_overlay.sh\`'s load + index (\\copy of WKT, ST_GeomFromText, GiST, ANALYZE).`,
  '',
  '| | time | peak RSS | ratio to PostGIS | target |',
  '|---|---|---|---|---|',
  `| PostGIS load + index | ${postgis.toFixed(1)} s | (server) | 1 | |`,
  `| Gengbao embedded (PGlite) | ${embedded.s.toFixed(1)} s | ${embedded.rssMb.toFixed(0)} MB | **${(embedded.s / postgis).toFixed(2)}×** | ≤ 3× |`,
  server
    ? `| Gengbao server mode (PostgreSQL) | ${server.s.toFixed(1)} s | ${server.rssMb.toFixed(0)} MB | **${(server.s / postgis).toFixed(2)}×** | ≤ 1.5× |`
    : '| Gengbao server mode | not run | | | ≤ 1.5× |',
  '',
  `Command: \`npm run bench:import -- --parcels ${values.parcels} --polygons ${values.polygons}\`.`,
];
console.log(lines.join('\n'));
writeSection('import', lines);
if (!values['demo-dir']) rmSync(demo, { recursive: true, force: true });
