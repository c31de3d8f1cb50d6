/**
 * `npm run bench:overlay` — 套合 of N change polygons against M farmland parcels: Gengbao
 * (`analyzeFiles`, streaming + worker threads) against PostgreSQL + PostGIS
 * (`../shared/tools/postgis_overlay.sh`: load, GiST index, ST_Intersection, ST_Area(geography))
 * on the same files in the same run, then the ratio into BENCHMARKS.md.
 *
 * usage: npm run bench:overlay [-- --parcels 1000000 --polygons 20000 --db postgresql://…]
 * Data from ../shared/tools/make_parcels.py, generated once under data/bench/.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { analyzeFiles } from '../src/analyze/run-files.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tools = resolve(root, '../shared/tools');
const { values } = parseArgs({
  options: {
    parcels: { type: 'string', default: '1000000' },
    polygons: { type: 'string', default: '20000' },
    db: { type: 'string', default: 'postgresql://postgres@127.0.0.1:5432/postgres' },
    workers: { type: 'string' },
  },
});
const parcels = Number(values.parcels);
const polygons = Number(values.polygons);
const dir = join(root, 'data/bench', `parcels-${parcels}-${polygons}`);

if (!existsSync(join(dir, 'parcels.geojsonl'))) {
  if (!existsSync(join(tools, 'make_parcels.py')))
    throw new Error(`${tools}/make_parcels.py is needed to make the data`);
  console.log(`making ${parcels} parcels × ${polygons} polygons in ${dir} …`);
  execFileSync(
    'python3',
    [
      join(tools, 'make_parcels.py'),
      '--parcels',
      String(parcels),
      '--polygons',
      String(polygons),
      '--out',
      dir,
    ],
    { stdio: 'inherit' },
  );
}

// Gengbao first, in this process: wall time and peak RSS (worker threads included).
const t0 = performance.now();
const result = await analyzeFiles({
  polygons: join(dir, 'polygons.geojsonl'),
  layers: [{ kind: 'farmland', path: join(dir, 'parcels.geojsonl') }],
  workers: values.workers ? Number(values.workers) : undefined,
});
const gengbaoS = (performance.now() - t0) / 1000;
const peakMb = process.resourceUsage().maxRSS / 1024;
const ours = {
  count: result.figures.length,
  area: result.figures.reduce((s, f) => s + f.total.m2, 0),
  farmland: result.figures.reduce((s, f) => s + f.layers.farmland.m2, 0),
};
console.log(
  `gengbao: ${gengbaoS.toFixed(1)} s, peak RSS ${peakMb.toFixed(0)} MB, ${ours.count} polygons, Σarea ${ours.area.toFixed(1)}, Σfarmland ${ours.farmland.toFixed(1)}`,
);

// PostGIS on the same data.
const t1 = performance.now();
const pg = spawnSync('bash', [join(tools, 'postgis_overlay.sh'), dir, values.db!], {
  encoding: 'utf8',
});
const postgisS = (performance.now() - t1) / 1000;
if (pg.status !== 0) throw new Error(`postgis_overlay.sh failed: ${pg.stderr}`);
const [countS, areaS, farmS] = pg.stdout.trim().split('\n')[0].split('|');
const phases = /load\+index ([\d.]+) s; overlay ([\d.]+) s/.exec(pg.stdout)!;
const theirs = { count: Number(countS), area: Number(areaS), farmland: Number(farmS) };
console.log(
  `postgis: ${postgisS.toFixed(1)} s (load+index ${phases[1]} s, overlay ${phases[2]} s), Σarea ${theirs.area}, Σfarmland ${theirs.farmland}`,
);

const rel = (a: number, b: number) => Math.abs(a - b) / b;
const agree =
  rel(ours.area, theirs.area) < 1e-4 &&
  rel(ours.farmland, theirs.farmland) < 1e-4 &&
  ours.count === theirs.count;
const ratio = gengbaoS / postgisS;
console.log(
  `gengbao/postgis = ${ratio.toFixed(2)} (target ≤ 0.25); results agree to 0.01 %: ${agree}`,
);

const section = `<!-- bench:overlay -->
## Overlay 套合 (\`npm run bench:overlay\`)

${parcels.toLocaleString('en')} farmland parcels × ${polygons.toLocaleString('en')} change polygons from \`make_parcels.py\` (GeoJSON lines), same run, ${cpus().length} cores, Node ${process.version}:

| | time | peak memory | notes |
|---|---|---|---|
| Gengbao \`analyzeFiles\` | ${gengbaoS.toFixed(1)} s | ${peakMb.toFixed(0)} MB RSS | read + validate/repair + index + clip + ellipsoidal area, worker threads |
| PostGIS \`postgis_overlay.sh\` | ${postgisS.toFixed(1)} s | (server) | load+index ${phases[1]} s, overlay ${phases[2]} s |
| **ratio** | **${ratio.toFixed(2)}×** | | target ≤ 0.25× |

Results agree to 0.01 %: ${agree ? 'yes' : 'NO'} (Σ polygon area ${ours.area.toFixed(1)} vs ${theirs.area} m², Σ farmland ${ours.farmland.toFixed(1)} vs ${theirs.farmland} m²).
Command: \`npm run bench:overlay -- --parcels ${parcels} --polygons ${polygons}\`. The machine is shared and noisy; compare ratios, not seconds.
<!-- /bench:overlay -->`;
const path = join(root, 'BENCHMARKS.md');
const old = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
const next = /<!-- bench:overlay -->[\s\S]*<!-- \/bench:overlay -->/.test(old)
  ? old.replace(/<!-- bench:overlay -->[\s\S]*<!-- \/bench:overlay -->/, section)
  : `${old.trimEnd()}\n\n${section}\n`;
writeFileSync(path, next);
console.log('BENCHMARKS.md updated');
