/**
 * `npm run eval:recheck`: how often the re-check of rectification on later imagery
 * (src/detect/recheck.ts, the rule in recheck-rule.ts) gives the right answer, per class.
 *
 * - Real pairs used backwards (../shared/data, skipped when absent): the after date plays the
 *   violation, the before date plays both the before date and the new one, so every labelled
 *   change should come out **restored** and unchanged ground **not restored**. Cases are the
 *   connected components of the change label (pixel by pixel, the largest per scene) and
 *   squares of unchanged ground of a similar size. OSCD (Sentinel-2, rules), Nanjing (Landsat
 *   TM, IR-MAD), LEVIR (0.5 m RGB, the shipped learned classifier: trained on these same
 *   samples, so in-sample).
 * - The demo imagery over 大箕镇 backwards: its truth (the new demo 图斑 under it and the changes
 *   planted beside them) should come out restored, its seasonal distractor fields and
 *   unchanged squares not restored.
 * - Synthetic three-date scenes (src/detect/recheck-synthetic.ts): demolished and replanted,
 *   demolished to soil, standing, partly cleared, extended, finished, untouched.
 *
 * Writes the tables to stdout (Markdown); EVALUATION.md carries them.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { recheckPolygon } from '../src/detect/recheck.ts';
import { RECHECK_OUTCOMES, type RecheckOutcome } from '../src/detect/recheck-rule.ts';
import { recheckTriple, SITE_KINDS } from '../src/detect/recheck-synthetic.ts';
import type { SensorId } from '../src/detect/profiles.ts';
import { demoImageryScene } from '../src/demo/imagery-scene.ts';
import { sceneGrid } from '../src/demo/imagery.ts';
import type { MultiPolygon, Polygon } from '../src/geo/types.ts';
import { toLonLat } from '../src/raster/crs.ts';
import type { RasterGrid } from '../src/raster/grid.ts';
import { memoryScene } from '../src/raster/memory-scene.ts';
import { openScene, type RasterScene } from '../src/raster/scene-source.ts';
import { levirSamples, levirScene } from './levir.ts';

const data = join(import.meta.dirname, '../../shared/data');
type Case = { polygon: Polygon | MultiPolygon; expected: RecheckOutcome };
type Tally = Record<string, Record<string, number>>;
const tallies = new Map<string, Tally>();

function count(set: string, expected: string, got: string): void {
  const t = tallies.get(set) ?? {};
  t[expected] ??= {};
  t[expected][got] = (t[expected][got] ?? 0) + 1;
  tallies.set(set, t);
}

/** A set of pixels of `grid` as a MultiPolygon of their squares (lon/lat). */
function pixelsToPolygon(grid: RasterGrid, pixels: number[]): MultiPolygon {
  const f = toLonLat(grid.crs);
  const at = (c: number, r: number) =>
    f(grid.originX + c * grid.pixelWidth, grid.originY - r * grid.pixelHeight);
  return {
    type: 'MultiPolygon',
    coordinates: pixels.map((i) => {
      const c = i % grid.width;
      const r = Math.floor(i / grid.width);
      return [[at(c, r + 1), at(c + 1, r + 1), at(c + 1, r), at(c, r), at(c, r + 1)]];
    }),
  };
}

/**
 * Cases from a label raster (1 changed, 0 unchanged, 255 unknown): the largest 4-connected
 * components of change (MIN_PX…MAX_PX pixels) → restored; squares wholly unchanged, spread
 * over the scene, of the components' median size → not restored. At most `n` of each.
 */
const MIN_PX = 4;
const MAX_PX = 400;
function casesFromLabel(grid: RasterGrid, label: Uint8Array, n: number): Case[] {
  const { width, height } = grid;
  const seen = new Uint8Array(label.length);
  const comps: number[][] = [];
  for (let i = 0; i < label.length; i++) {
    if (label[i] !== 1 || seen[i]) continue;
    const stack = [i];
    const comp: number[] = [];
    seen[i] = 1;
    while (stack.length) {
      const p = stack.pop()!;
      comp.push(p);
      const c = p % width;
      for (const q of [p - 1, p + 1, p - width, p + width]) {
        if (q < 0 || q >= label.length || seen[q] || label[q] !== 1) continue;
        if ((q === p - 1 && c === 0) || (q === p + 1 && c === width - 1)) continue;
        seen[q] = 1;
        stack.push(q);
      }
    }
    if (comp.length >= MIN_PX && comp.length <= MAX_PX) comps.push(comp);
  }
  comps.sort((a, b) => b.length - a.length);
  const changed = comps.slice(0, n);
  const cases: Case[] = changed.map((c) => ({
    polygon: pixelsToPolygon(grid, c),
    expected: 'restored',
  }));
  const sizes = changed.map((c) => c.length).sort((a, b) => a - b);
  const side = Math.max(2, Math.round(Math.sqrt(sizes[Math.floor(sizes.length / 2)] ?? 16)));
  let unchanged = 0;
  const step = Math.max(side + 1, Math.floor(Math.sqrt((width * height) / (4 * n))));
  for (let y = side; y + side < height && unchanged < n; y += step)
    for (let x = side; x + side < width && unchanged < n; x += step) {
      const px: number[] = [];
      for (let r = y; r < y + side; r++) for (let c = x; c < x + side; c++) px.push(r * width + c);
      if (!px.every((p) => label[p] === 0)) continue;
      cases.push({ polygon: pixelsToPolygon(grid, px), expected: 'not_restored' });
      unchanged++;
    }
  return cases;
}

/** The backwards re-check: before → violation (the after date) → now (the before date again). */
async function backwards(
  set: string,
  t1: RasterScene,
  t2: RasterScene,
  sensor: SensorId,
  cases: Case[],
) {
  for (const c of cases) {
    const r = await recheckPolygon(c.polygon, { before: t1, violation: t2, now: t1 }, { sensor });
    count(set, c.expected, r?.outcome ?? 'no scene');
  }
}

const pngLabel = (file: string, n: number): Uint8Array => {
  const p = PNG.sync.read(readFileSync(file));
  const out = new Uint8Array(p.width * p.height);
  for (let i = 0; i < out.length; i++) out[i] = p.data[i * 4] > 127 ? 1 : 0;
  void n;
  return out;
};

const PER_SCENE = 8;

// Synthetic three-date scenes.
for (let seed = 1; seed <= 6; seed++) {
  const t = recheckTriple([...SITE_KINDS], { seed, perRow: 4 });
  const scene = (name: string, b: Uint16Array[]) =>
    memoryScene(name, t.grid, { '1': b[0], '2': b[1], '3': b[2], '4': b[3] });
  const [b, v, now] = [
    scene('before', t.before),
    scene('violation', t.violation),
    scene('now', t.now),
  ];
  for (const site of t.sites) {
    const r = await recheckPolygon(
      site.polygon,
      { before: b, violation: v, now },
      { sensor: 's2' },
    );
    count('synthetic', site.expected, r?.outcome ?? 'no scene');
  }
}

// The demo imagery, backwards.
{
  const scene = demoImageryScene();
  const grid = sceneGrid(scene);
  const bands = (x: Uint16Array[]) => ({ '1': x[0], '2': x[1], '3': x[2], '4': x[3] });
  const t1 = memoryScene('demo-before', grid, bands(scene.before), 0);
  const t2 = memoryScene('demo-after', grid, bands(scene.after), 0);
  const cases: Case[] = [
    ...scene.truth.features.map((f) => ({
      polygon: f.geometry as Polygon,
      expected: 'restored' as const,
    })),
    ...scene.distractors.features
      .slice(0, 20)
      .map((f) => ({ polygon: f.geometry as Polygon, expected: 'not_restored' as const })),
  ];
  await backwards('demo (backwards)', t1, t2, 's2', cases);
}

if (existsSync(data)) {
  // OSCD: label.png on the before grid.
  for (const city of readdirSync(join(data, 'oscd')).sort()) {
    const label = join(data, 'oscd', city, 'label.png');
    if (!existsSync(label)) continue;
    const t1 = await openScene(join(data, 'oscd', city, 'before'));
    const t2 = await openScene(join(data, 'oscd', city, 'after'));
    await backwards(
      'OSCD (backwards)',
      t1,
      t2,
      's2',
      casesFromLabel(t1.grid, pngLabel(label, 0), PER_SCENE),
    );
  }
  // Nanjing: sparse masks; pixels in neither are unknown.
  {
    const dir = join(data, 'landsat', 'nanjing');
    const t1 = await openScene(join(dir, 'before.tif'));
    const t2 = await openScene(join(dir, 'after.tif'));
    const w = { x0: 0, y0: 0, width: t1.grid.width, height: t1.grid.height };
    const [changed] = await (await openScene(join(dir, 'change-mask.tif'))).readBands(['1'], w);
    const [same] = await (await openScene(join(dir, 'unchanged-mask.tif'))).readBands(['1'], w);
    const label = new Uint8Array(changed.length).map((_, i) =>
      changed[i] > 0 ? 1 : same[i] > 0 ? 0 : 255,
    );
    await backwards(
      'Nanjing (backwards)',
      t1,
      t2,
      'landsat',
      casesFromLabel(t1.grid, label, 3 * PER_SCENE),
    );
  }
  // LEVIR: 0.5 m RGB PNGs on a local grid.
  {
    const dir = join(data, 'levir');
    for (const sample of levirSamples(dir)) {
      const t1 = levirScene(dir, 'A', sample);
      const t2 = levirScene(dir, 'B', sample);
      const label = pngLabel(join(dir, 'label', `${sample}.png`), 0);
      await backwards('LEVIR (backwards)', t1, t2, 'rgb', casesFromLabel(t1.grid, label, 4));
    }
  }
}

// The tables.
const cols = [...RECHECK_OUTCOMES, 'no scene'];
console.log('| set | expected | cases | ' + cols.join(' | ') + ' | correct |');
console.log('|---|---|---|' + cols.map(() => '---|').join('') + '---|');
for (const [set, t] of tallies) {
  let all = 0;
  let right = 0;
  for (const expected of RECHECK_OUTCOMES) {
    const row = t[expected];
    if (!row) continue;
    const n = Object.values(row).reduce((a, b) => a + b, 0);
    const ok = row[expected] ?? 0;
    all += n;
    right += ok;
    console.log(
      `| ${set} | ${expected} | ${n} | ${cols.map((c) => row[c] ?? 0).join(' | ')} | ${ok} (${((100 * ok) / n).toFixed(0)} %) |`,
    );
  }
  console.log(
    `| **${set}** | all | ${all} | ${cols.map(() => '').join(' | ')} | **${right} (${((100 * right) / all).toFixed(0)} %)** |`,
  );
}
