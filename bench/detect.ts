/**
 * `npm run bench:detect [-- --size 4096 --size 10980]`: time `gengbao detect` against
 * ../shared/tools/reference_cva.py --polygons-out on the same make_scene.py scene in the same
 * run; wall time, ratio, peak RSS and Mpixel/s go into the detect section of BENCHMARKS.md.
 * Scenes are generated once into $TMPDIR/gengbao-bench/<size> (never into the repository).
 * `--drone N`: an N² drone frame pair instead or as well (droneRow), in its own section.
 * `--learned`: each size also with the learned s2 classifier (`--classifier learned`, the s2
 * default since the held-out choice of defaults), a second row against the same reference
 * run. The first row is always the rules (`--classifier rules`).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scoreMasks } from '../src/detect/metrics.ts';
import { openScene } from '../src/raster/scene-source.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tools = resolve(root, '../shared/tools');
const python = '/usr/bin/python3';
if (!existsSync(join(tools, 'make_scene.py')) || !existsSync(python)) {
  console.error(
    `bench:detect needs ${tools} and /usr/bin/python3 with GDAL and numpy (apt-get install gdal-bin python3-gdal python3-numpy)`,
  );
  process.exit(2);
}
const args = process.argv.slice(2);
const sizes = args.flatMap((a, i) => (a === '--size' ? [Number(args[i + 1])] : []));
/** `--drone N`: also an N² drone frame pair (8-bit RGB, 6.25 cm), see droneRow. */
const drones = args.flatMap((a, i) => (a === '--drone' ? [Number(args[i + 1])] : []));
if (sizes.length === 0 && drones.length === 0) sizes.push(4096);
/** `--learned`: a row with the learned s2 classifier beside the default's (learnedRow). */
const withLearned = args.includes('--learned');

/** Run a command under a Python wrapper that reports wall seconds, the children's CPU seconds and peak RSS. */
function measure(cmd: string[]): { seconds: number; cpu: number; peakMb: number } {
  const wrapper =
    'import resource,subprocess,sys,time\nt=time.time()\nsubprocess.run(sys.argv[1:],check=True,stdout=subprocess.DEVNULL)\n' +
    'u=resource.getrusage(resource.RUSAGE_CHILDREN)\nprint(time.time()-t, u.ru_maxrss, u.ru_utime+u.ru_stime)';
  const r = spawnSync(python, ['-c', wrapper, ...cmd], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed (${r.status})`);
  const [s, kb, cpu] = r.stdout.trim().split(/\s+/).map(Number);
  return { seconds: s, cpu, peakMb: kb / 1024 };
}

/** `gengbao detect` on the pair (b, a) in `dir`, its polygons written there, with `more` options. */
function gengbaoDetect(dir: string, b: string, a: string, ...more: string[]) {
  return measure([
    process.execPath,
    join(root, 'bin/gengbao.js'),
    'detect',
    '--before',
    b,
    '--after',
    a,
    '--out',
    join(dir, 'ours.geojson'),
    '--no-progress',
    ...more,
  ]);
}

/** reference_cva.py on the pair (b, a) in `dir`: a mask GeoTIFF and polygons written there. */
function referenceCva(dir: string, b: string, a: string) {
  return measure([
    python,
    join(tools, 'reference_cva.py'),
    '--before',
    b,
    '--after',
    a,
    '--mask-out',
    join(dir, 'ref-mask.tif'),
    '--polygons-out',
    join(dir, 'ref.geojson'),
  ]);
}

async function f1Against(truth: string, mask: string): Promise<number> {
  const [t, m] = [await openScene(truth), await openScene(mask)];
  const w = { x0: 0, y0: 0, width: t.grid.width, height: t.grid.height };
  const [tv] = await t.readBands(['1'], w);
  const [mv] = await m.readBands(['1'], w);
  await Promise.all([t.close(), m.close()]);
  return scoreMasks(mv, tv).f1;
}

const rows: string[] = [];
// Other work on the machine slows both tools (ours, on two threads, the more): say how busy it was.
const loadAtStart = loadavg()[0];
for (const size of sizes) {
  const dir = join(tmpdir(), 'gengbao-bench', String(size));
  if (!existsSync(join(dir, 'after.tif'))) {
    mkdirSync(dir, { recursive: true });
    console.error(`generating a ${size} px scene in ${dir} …`);
    execFileSync(python, [join(tools, 'make_scene.py'), '--size', String(size), '--out', dir], {
      stdio: 'inherit',
    });
  }
  const [b, a] = [join(dir, 'before.tif'), join(dir, 'after.tif')];
  const ours = gengbaoDetect(
    dir,
    b,
    a,
    '--classifier',
    'rules',
    '--mask-out',
    join(dir, 'ours-mask.tif'),
  );
  const f1o = await f1Against(join(dir, 'truth.tif'), join(dir, 'ours-mask.tif'));
  const learned = withLearned
    ? gengbaoDetect(dir, b, a, '--classifier', 'learned', '--mask-out', join(dir, 'ours-mask.tif'))
    : undefined;
  const f1l = learned && (await f1Against(join(dir, 'truth.tif'), join(dir, 'ours-mask.tif')));
  const ref = referenceCva(dir, b, a);
  const mpx = (size * size) / 1e6;
  const f1r = await f1Against(join(dir, 'truth.tif'), join(dir, 'ref-mask.tif'));
  const row = (label: string, o: typeof ours, f1: number): string =>
    `| ${size}² 4-band UInt16 (deflate, tiled)${label} | ${o.seconds.toFixed(1)} s | ${ref.seconds.toFixed(1)} s | **${(o.seconds / ref.seconds).toFixed(2)}** | ${o.cpu.toFixed(1)} s | ${ref.cpu.toFixed(1)} s | ${Math.round(o.peakMb)} MB | ${Math.round(ref.peakMb)} MB | ${(mpx / o.seconds).toFixed(2)} | ${(mpx / ref.seconds).toFixed(2)} | ${f1.toFixed(3)} | ${f1r.toFixed(3)} |`;
  for (const line of [
    row(', rules', ours, f1o),
    ...(learned ? [row(', learned classifier (s2 default)', learned, f1l!)] : []),
  ]) {
    console.error(line);
    rows.push(line);
  }
}

/**
 * A drone frame pair, N² pixels of 6.25 cm (test-fixtures' rgbPair: syntheticPair's fields and
 * planted roofs as 8-bit RGB, each 0.5 m pixel repeated 8 × 8; timing only, its F1 means
 * little), run three ways: the rgb default, averaged 8 × 8 onto the 0.5 m working resolution;
 * at its own resolution (`--working-resolution 0`); and the reference on the same files.
 */
async function droneRow(size: number): Promise<string> {
  const dir = join(tmpdir(), 'gengbao-bench', `drone-${size}`);
  const [b, a] = [join(dir, 'before.tif'), join(dir, 'after.tif')];
  if (!existsSync(a)) {
    mkdirSync(dir, { recursive: true });
    console.error(`generating a ${size} px drone pair in ${dir} …`);
    const { rgbPair, syntheticPair, writeMultiband } =
      await import('../src/raster/test-fixtures.ts');
    const p = rgbPair(syntheticPair(Math.ceil(size / 8), 3), 8);
    writeMultiband(b, p.before, p.grid, { tileSize: 256, deflate: true });
    writeMultiband(a, p.after, p.grid, { tileSize: 256, deflate: true });
  }
  const averaged = gengbaoDetect(dir, b, a, '--sensor', 'rgb');
  const own = gengbaoDetect(dir, b, a, '--sensor', 'rgb', '--working-resolution', '0');
  const ref = referenceCva(dir, b, a);
  const line = `| ${size}² 3-band UInt8, 6.25 cm (deflate, tiled) | ${averaged.seconds.toFixed(1)} s | ${own.seconds.toFixed(1)} s | ${ref.seconds.toFixed(1)} s | **${(averaged.seconds / ref.seconds).toFixed(2)}** | ${Math.round(averaged.peakMb)} MB | ${Math.round(own.peakMb)} MB | ${Math.round(ref.peakMb)} MB |`;
  console.error(line);
  return line;
}
const droneRows: string[] = [];
for (const size of drones) droneRows.push(await droneRow(size));

const begin = '<!-- bench:detect begin -->';
const end = '<!-- bench:detect end -->';
const section = [
  begin,
  '## Detection (`npm run bench:detect`)',
  '',
  `Command: \`npm run bench:detect -- ${sizes.map((s) => `--size ${s}`).join(' ')}${withLearned ? ' --learned' : ''}\` (bench/detect.ts), ${new Date().toISOString().slice(0, 16)}Z, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), 1-minute load average ${loadAtStart.toFixed(2)} at the start.`,
  'Both tools read the same `make_scene.py` pair and write a mask GeoTIFF and polygons (ours: `gengbao detect --out --mask-out`, whole CLI run',
  'including start-up; reference: `reference_cva.py --polygons-out`, i.e. GDAL + numpy CVA/Otsu + gdal_polygonize). Time ratio = ours / reference',
  "(target ≤ 0.20); CPU (user + system seconds, all threads) and peak RSS from getrusage of the child. F1 against the scene's `truth.tif` (planted buildings; the scene also holds seasonal",
  'crop → bare fields that are not violations).',
  '',
  '| scene | gengbao | reference | ratio | CPU gengbao | CPU reference | peak RSS gengbao | peak RSS reference | Mpx/s gengbao | Mpx/s reference | F1 gengbao | F1 reference |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ...rows,
  end,
].join('\n');
const droneBegin = '<!-- bench:detect-drone begin -->';
const droneEnd = '<!-- bench:detect-drone end -->';
const droneSection = [
  droneBegin,
  '### Drone frames (`npm run bench:detect -- --drone N`)',
  '',
  `Command: \`npm run bench:detect -- ${drones.map((s) => `--drone ${s}`).join(' ')}\` (bench/detect.ts), ${new Date().toISOString().slice(0, 16)}Z, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), 1-minute load average ${loadAtStart.toFixed(2)} at the start.`,
  'An N² pair of 8-bit RGB at 6.25 cm (synthetic: the test fixtures’ fields and planted roofs, each 0.5 m pixel repeated 8 × 8; for timing, its F1 means little), detected by the `rgb` profile',
  '(learned classifier) averaged 8 × 8 onto its 0.5 m working resolution, the default, and at the frames’ own resolution (`--working-resolution 0`); the reference at the frames’ own.',
  'Ratio = averaged / reference.',
  '',
  '| scene | gengbao (averaged) | gengbao (own resolution) | reference | ratio | peak RSS averaged | peak RSS own | peak RSS reference |',
  '|---|---|---|---|---|---|---|---|',
  ...droneRows,
  droneEnd,
].join('\n');
const file = join(root, 'BENCHMARKS.md');
let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
/** `text` with the section between `from` and `to` replaced, or the section appended. */
const put = (from: string, to: string, body: string): string =>
  text.includes(from)
    ? text.replace(new RegExp(`${from}[\\s\\S]*?${to}`), body)
    : `${text.trimEnd()}\n\n${body}\n`;
if (rows.length) text = put(begin, end, section);
if (droneRows.length) text = put(droneBegin, droneEnd, droneSection);
writeFileSync(file, text);
console.error(`updated ${file}`);
