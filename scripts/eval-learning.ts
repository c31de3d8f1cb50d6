/**
 * `npm run eval:learning`: does learning from verdicts raise the detector's F1 on ground it was
 * not taught on? On the labelled real scenes in ../shared/data — OSCD's cities (s2) and the
 * LEVIR-CD samples (rgb) — each scene is split into a left and a right half. The shipped model
 * detects on the whole scene; every detection whose centre lies in the learning half gets a
 * verdict simulated from the ground truth (change when at least half of its pixels are labelled
 * change, else a false positive). The verdicts arrive over MONTHS months (a seeded shuffle dealt
 * into batches); after each month the `detection.learn` job's own decision runs on all verdicts
 * so far (src/detect/learned/adoption.ts, the same function the service calls: candidates
 * cross-validated over the judged 图斑 and as many tiles of unjudged ground from the learning
 * half, adopted only when better than the shipped model by a margin), and a version not
 * adopted leaves the one in force, as in the service. The whole
 * detector is run again with the model in force and F1 of its mask against the ground truth is
 * scored on the OTHER half only (the scoring half, which no decision ever sees), then the same
 * with the halves swapped; a scene's figure is the mean of the two directions.
 *
 * Also recorded per candidate (after the last month): its cross-validated F1 on the learning
 * half's verdicts (what the job sees) and, fitted on all of them, its pixel F1 on the scoring
 * half's detected 图斑 with their true labels (cheaper than a detector run per candidate).
 *
 * Writes its section of EVALUATION.md after every scene (between the eval:learning markers).
 * Caveat printed there too: the shipped models were trained on these very scenes (no held-out
 * fold models are read here), so "before" is in-sample and flatters the shipped model.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { detectChanges, type DetectResult } from '../src/detect/detect.ts';
import {
  adaptedClassifier,
  fitExtension,
  noExtension,
  verdictWindows,
  windowScores,
  type ModelExtension,
  type VerdictWindow,
} from '../src/detect/learned/adapt.ts';
import {
  CANDIDATES,
  decideAdoption,
  FOLDS,
  MARGIN,
  MIN_EACH_KIND,
  MIN_HELD_OUT,
} from '../src/detect/learned/adoption.ts';
import type { LearnedClassifier } from '../src/detect/learned/classifier.ts';
import { shippedClassifier } from '../src/detect/learned/shipped.ts';
import { scoreMasks } from '../src/detect/metrics.ts';
import { bboxOf } from '../src/geo/bbox.ts';
import { containsPoint } from '../src/geo/contains.ts';
import type { Areal } from '../src/geo/types.ts';
import { fromLonLat, toLonLat } from '../src/raster/crs.ts';
import { registerDecoders } from '../src/raster/decoders.ts';
import { openScene, type RasterScene } from '../src/raster/scene-source.ts';
import { levirSamples, levirScene } from './levir.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const data = resolve(root, '../shared/data');
if (!existsSync(data)) {
  console.error(`eval:learning needs ${data} (the shared real data), which is absent here`);
  process.exit(2);
}
registerDecoders();

interface Scene {
  dataset: 'OSCD' | 'LEVIR';
  name: string;
  sensor: 's2' | 'rgb';
  open: () => Promise<[RasterScene, RasterScene]>;
  truth: Uint8Array;
  width: number;
  height: number;
}

function readLabel(file: string): { width: number; height: number; values: Uint8Array } {
  const p = PNG.sync.read(readFileSync(file));
  const v = new Uint8Array(p.width * p.height);
  for (let i = 0; i < v.length; i++) v[i] = p.data[i * 4] > 127 ? 1 : 0;
  return { width: p.width, height: p.height, values: v };
}

/**
 * `--oscd a,b`: only these cities; `--levir-every k`: every k-th LEVIR sample; `--months n`
 * (3). Scenes alternate between the datasets, and the section is rewritten after each, so a run
 * cut short still reports both. On the shared two-core machine a city takes minutes (up to
 * 1 + 2 × MONTHS detector runs), so the recorded run may be a subset (EVALUATION.md says which).
 * `--shard i/n --save f.json`: only every n-th scene from the i-th, its rows saved to f.json
 * after each scene and EVALUATION.md left alone (shards run side by side); `--merge
 * a.json,b.json`: no scene run, the section written from saved rows.
 */
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const onlyCities = arg('--oscd')?.split(',');
const levirEvery = Number(arg('--levir-every') ?? 1);
const MONTHS = Number(arg('--months') ?? 3);
const [shard, shards] = (arg('--shard') ?? '0/1').split('/').map(Number);
const save = arg('--save');
const merge = arg('--merge')?.split(',');
const oscdScenes: Scene[] = [];
const levirScenes: Scene[] = [];
const oscd = join(data, 'oscd');
for (const city of readdirSync(oscd).sort()) {
  const label = join(oscd, city, 'label.png');
  if (!existsSync(label) || (onlyCities && !onlyCities.includes(city))) continue;
  const t = readLabel(label);
  oscdScenes.push({
    dataset: 'OSCD',
    name: city,
    sensor: 's2',
    open: async () => [
      await openScene(join(oscd, city, 'before')),
      await openScene(join(oscd, city, 'after')),
    ],
    truth: t.values,
    width: t.width,
    height: t.height,
  });
}
const levir = join(data, 'levir');
for (const name of levirSamples(levir).filter((_, k) => k % levirEvery === 0)) {
  const t = readLabel(join(levir, 'label', `${name}.png`));
  levirScenes.push({
    dataset: 'LEVIR',
    name,
    sensor: 'rgb',
    open: async () => [levirScene(levir, 'A', name), levirScene(levir, 'B', name)],
    truth: t.values,
    width: t.width,
    height: t.height,
  });
}

const allScenes: Scene[] = [];
for (let k = 0; k < Math.max(oscdScenes.length, levirScenes.length); k++)
  allScenes.push(...oscdScenes.slice(k, k + 1), ...levirScenes.slice(k, k + 1));
const scenes = merge ? [] : allScenes.filter((_, k) => k % shards === shard);

/** A run's final mask on the label grid (the before grid; its window pasted in). */
function maskOf(r: DetectResult, w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h);
  for (let y = 0; y < r.window.height && r.window.y0 + y < h; y++)
    for (let x = 0; x < r.window.width && r.window.x0 + x < w; x++)
      out[(r.window.y0 + y) * w + r.window.x0 + x] = r.mask[y * r.window.width + x] ? 1 : 0;
  return out;
}

/** The label-grid pixels of an outline: their count, how many are labelled change, and the centre column. */
function pixelsOf(
  r: DetectResult,
  g: Areal,
  s: Scene,
): { pixels: number; change: number; cx: number } {
  const grid = r.grid;
  const f = fromLonLat(grid.crs);
  const back = toLonLat(grid.crs);
  const b = bboxOf(g);
  const c = [f(b[0], b[1]), f(b[2], b[3])];
  const xs = c.map(([x]) => (x - grid.originX) / grid.pixelWidth);
  const ys = c.map(([, y]) => (grid.originY - y) / grid.pixelHeight);
  let pixels = 0;
  let change = 0;
  for (
    let y = Math.max(0, Math.floor(Math.min(...ys)));
    y < Math.min(s.height, Math.ceil(Math.max(...ys)));
    y++
  )
    for (
      let x = Math.max(0, Math.floor(Math.min(...xs)));
      x < Math.min(s.width, Math.ceil(Math.max(...xs)));
      x++
    ) {
      const [lon, lat] = back(
        grid.originX + (x + 0.5) * grid.pixelWidth,
        grid.originY - (y + 0.5) * grid.pixelHeight,
      );
      if (!containsPoint(g, lon, lat)) continue;
      pixels++;
      change += s.truth[y * s.width + x];
    }
  return { pixels, change, cx: (xs[0] + xs[1]) / 2 };
}

/** A seeded shuffle (mulberry32): the order verdicts arrive in, the same on every run. */
function shuffled<T>(xs: T[], seedText: string): T[] {
  let seed = 0;
  for (const ch of seedText) seed = (Math.imul(seed, 31) + ch.charCodeAt(0)) | 0;
  const next = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** What one direction (learn one half, score the other) gave. */
interface Direction {
  verdicts: number;
  falsePositives: number;
  before: number;
  /** F1 on the scoring half with the model in force after each month. */
  months: number[];
  /** Per month: the method adopted that month, or why none was ('' when no job ran). */
  outcome: string[];
  /** After the last month's job (null: no job ran): held-out F1 of the shipped model, of each candidate, and the best candidate. */
  last: { shipped: number; candidates: Record<string, number>; method: string } | null;
  /** Scoring-half window F1: the shipped model, and each candidate fitted on every verdict. */
  scoringShipped: number;
  scoringCandidate: Record<string, number>;
}

interface Row {
  dataset: string;
  scene: string;
  dirs: Direction[];
  ms: number;
}
const rows: Row[] = merge
  ? merge.flatMap((f) => (JSON.parse(readFileSync(f, 'utf8')) as { rows: Row[] }).rows)
  : [];
const startedAt = new Date();

const REASON: Record<string, string> = {
  too_few: 'too few',
  one_kind: 'one kind',
  not_better: 'not better',
};

for (const s of scenes) {
  const t0 = performance.now();
  const shipped: LearnedClassifier = shippedClassifier(s.sensor);
  const run = async (learned: LearnedClassifier): Promise<DetectResult> => {
    const [b, a] = await s.open();
    try {
      return await detectChanges(b, a, { sensor: s.sensor, config: { learned } });
    } finally {
      await Promise.all([b.close(), a.close()]);
    }
  };
  const first = await run(shipped);
  const firstMask = maskOf(first, s.width, s.height);
  // The detector's mask with each adopted extension, once per extension.
  const masks = new Map<ModelExtension, Uint8Array>();
  const maskWith = async (ext: ModelExtension | null): Promise<Uint8Array> => {
    if (!ext) return firstMask;
    let m = masks.get(ext);
    if (!m) {
      m = maskOf(await run(adaptedClassifier(shipped, ext)), s.width, s.height);
      masks.set(ext, m);
    }
    return m;
  };
  const outlines = first.features.map((f) => ({
    g: f.geometry as Areal,
    ...pixelsOf(first, f.geometry as Areal, s),
  }));
  const all = outlines.map((o) => o.g);
  const half = s.width / 2;
  const inHalf = (x: number, left: boolean) => x < half === left;
  // Every detection described once (verdicts from the truth); each direction learns from one
  // half's and is scored on the other's.
  const judgedAll = outlines
    .filter((o) => o.pixels > 0)
    .map((o) => ({ geometry: o.g, change: o.change * 2 >= o.pixels, cx: o.cx }));
  // And tiles of unjudged ground over the whole scene: each direction's job gets those lying
  // wholly in its learning half, as many as its verdicts so far (as the service samples them).
  const [b, a] = await s.open();
  let windows: VerdictWindow[];
  try {
    windows = await verdictWindows(b, a, { sensor: s.sensor }, shipped, judgedAll, all, {
      count: 3 * judgedAll.length,
      seed: 1,
    });
  } finally {
    await Promise.all([b.close(), a.close()]);
  }
  const described = windows.filter((w) => w.judged);
  const tiles = windows.filter((w) => !w.judged);
  if (described.length !== judgedAll.length)
    throw new Error(`${s.name}: ${judgedAll.length - described.length} detections off the scene`);
  const dirs: Direction[] = [];
  for (const learnLeft of [true, false]) {
    // verdictWindows keeps the outlines' order (every one reaches the scene it was found on).
    const learning = shuffled(
      described.filter((_, k) => inHalf(judgedAll[k].cx, learnLeft)),
      `${s.name}:${learnLeft ? 'left' : 'right'}`,
    );
    const scoring = described.filter((_, k) => !inHalf(judgedAll[k].cx, learnLeft));
    const ground = tiles.filter((w) =>
      learnLeft ? w.box.x0 + w.box.width <= half : w.box.x0 >= half,
    );
    const considered = new Uint8Array(s.width * s.height);
    for (let y = 0; y < s.height; y++)
      for (let x = 0; x < s.width; x++)
        considered[y * s.width + x] = inHalf(x + 0.5, !learnLeft) ? 1 : 0;
    const f1On = (mask: Uint8Array) => scoreMasks(mask, s.truth, considered).f1;
    const d: Direction = {
      verdicts: learning.length,
      falsePositives: learning.filter((w) => !w.change).length,
      before: f1On(firstMask),
      months: [],
      outcome: [],
      last: null,
      scoringShipped: windowScores(shipped, noExtension(shipped), scoring).f1,
      scoringCandidate: {},
    };
    let inForce: ModelExtension | null = null;
    for (let m = 1; m <= MONTHS; m++) {
      // The first m batches: verdict k arrives in month (k mod MONTHS) + 1.
      const judged = learning.filter((_, k) => k % MONTHS < m);
      const sofar = [...judged, ...ground.slice(0, judged.length)];
      if (judged.length === 0) {
        d.outcome.push('');
      } else {
        const decision = decideAdoption(shipped, sofar);
        if (decision.adopted) inForce = decision.extension;
        d.outcome.push(decision.adopted ? decision.method : REASON[decision.reason]);
        d.last = {
          shipped: decision.shipped.f1,
          candidates: Object.fromEntries(decision.candidates.map((c) => [c.name, c.scores.f1])),
          method: decision.method,
        };
      }
      d.months.push(f1On(await maskWith(inForce)));
    }
    const taught = [...learning, ...ground.slice(0, learning.length)];
    for (const c of CANDIDATES)
      d.scoringCandidate[c.name] = learning.length
        ? windowScores(shipped, fitExtension(shipped, taught, c.options).extension, scoring).f1
        : d.scoringShipped;
    dirs.push(d);
  }
  const row: Row = { dataset: s.dataset, scene: s.name, dirs, ms: performance.now() - t0 };
  rows.push(row);
  const mid = (f: (d: Direction) => number) => (f(dirs[0]) + f(dirs[1])) / 2;
  console.error(
    `${s.dataset.padEnd(6)} ${s.name.padEnd(22)} verdicts ${dirs.map((d) => d.verdicts).join('+')} F1 before ${mid((d) => d.before).toFixed(3)} months ${Array.from({ length: MONTHS }, (_, m) => mid((d) => d.months[m]).toFixed(3)).join(' → ')} | ${dirs.map((d) => d.outcome.join(', ')).join(' / ')} | ${Math.round(row.ms / 1000)} s`,
  );
  if (save) writeFileSync(save, JSON.stringify({ rows }));
  else writeSection();
}
if (merge) writeSection();

// ---- EVALUATION.md section
function writeSection(): void {
  const f3 = (x: number) => x.toFixed(3);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const mid = (r: Row, f: (d: Direction) => number) => mean(r.dirs.map(f));
  const monthCols = Array.from({ length: MONTHS }, (_, m) => m);
  // OSCD then LEVIR, each in its own order (shards save their rows in another).
  const order = [...oscdScenes, ...levirScenes].map((x) => x.name);
  rows.sort((x, y) => order.indexOf(x.scene) - order.indexOf(y.scene));
  const lines: string[] = [];
  lines.push(
    '## Learning from verdicts',
    '',
    `Produced by \`npm run eval:learning\` (scripts/eval-learning.ts), written ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC. Each scene is split into a left and a right half; the shipped learned model detects on the whole scene; each detection whose centre lies in the **learning half** gets a verdict simulated from the ground truth (real change when at least half of its pixels are labelled change, else a false positive). The verdicts arrive over ${MONTHS} months (a seeded shuffle dealt into ${MONTHS} batches). After each month the \`detection.learn\` job's own decision (src/detect/learned/adoption.ts, the function the service calls) runs on every verdict so far: each candidate is scored by ${FOLDS}-fold cross-validation over the judged 图斑 and as many 32 × 32 px tiles of unjudged ground from the learning half away from every detection (each held out once, its model fitted on the others; the tiles count as unchanged, so a version cannot buy the judged 图斑 with false alarms where nobody looked), and the best is adopted only when its held-out pixel F1 beats the shipped model's by ${MARGIN} with at least ${MIN_HELD_OUT} judged 图斑, ${MIN_EACH_KIND} of each kind; a month that adopts nothing leaves the model in force, as the service does. "F1 month k" is the **whole detector** with the model in force after month k (the shipped one while nothing was adopted), its mask scored against the ground truth **on the other half only**, which no decision sees. Each scene's figure is the mean of both directions (learn left → score right, learn right → score left).`,
    '',
    `Scenes: ${rows.length} of ${allScenes.length} (${onlyCities ? `OSCD cities ${onlyCities.join(', ')} only` : 'every labelled OSCD city'}; ${levirEvery > 1 ? `every ${levirEvery}th LEVIR sample` : 'every LEVIR sample'}; the datasets alternate, so a run cut short still covers both).`,
    '',
    '**Caveat**: the shipped models were trained on these very scenes (s2 on all 12 OSCD cities, rgb on all 11 LEVIR samples), so "before" is in-sample and flatters the shipped model; an installation on imagery the model never saw starts lower and has more to correct. A half with few detections teaches little: with fewer than the floors above nothing is adopted and "after" equals "before".',
    '',
    `| dataset | scene | verdicts left + right (false positives) | F1 before | ${monthCols.map((m) => `F1 month ${m + 1}`).join(' | ')} | adopted per month (learn left / learn right) | s |`,
    `|---|---|---|---|${monthCols.map(() => '---|').join('')}---|---|`,
  );
  for (const r of rows)
    lines.push(
      `| ${r.dataset} | ${r.scene} | ${r.dirs.map((d) => d.verdicts).join(' + ')} (${r.dirs.reduce((a, d) => a + d.falsePositives, 0)}) | ${f3(mid(r, (d) => d.before))} | ${monthCols.map((m) => f3(mid(r, (d) => d.months[m]))).join(' | ')} | ${r.dirs.map((d) => d.outcome.map((o) => o || '–').join(', ')).join(' / ')} | ${Math.round(r.ms / 1000)} |`,
    );
  for (const ds of ['OSCD', 'LEVIR']) {
    const rs = rows.filter((r) => r.dataset === ds);
    if (!rs.length) continue;
    const m = (f: (d: Direction) => number) => f3(mean(rs.map((r) => mid(r, f))));
    lines.push(
      `| **${ds} mean** | ${rs.length} scenes | ${rs.reduce((a, r) => a + r.dirs[0].verdicts + r.dirs[1].verdicts, 0)} | **${m((d) => d.before)}** | ${monthCols.map((k) => `**${m((d) => d.months[k])}**`).join(' | ')} | ${rs.reduce((a, r) => a + r.dirs.filter((d) => d.outcome.some((o) => CANDIDATES.some((c) => c.name === o))).length, 0)} of ${rs.length * 2} directions adopted a version | |`,
    );
  }
  lines.push(
    '',
    `The candidates (fixed before this evaluation ran; the job picks among them by the held-out score only). "job's held-out F1": the ${FOLDS}-fold cross-validated pixel F1 on the learning half's verdicts after the last month, what the job decides on. "scoring-half F1": the candidate fitted on every learning verdict, its pixel decision on the scoring half's detected 图斑 (true labels) and a ring of background around each — a proxy, not the whole detector. "chosen": directions where it had the best held-out F1 after the last month (adopted or not). Means over the scene directions with verdicts.`,
    '',
    "| dataset | candidate | job's held-out F1 | scoring-half F1 | chosen |",
    '|---|---|---|---|---|',
  );
  for (const ds of ['OSCD', 'LEVIR']) {
    const ds2 = rows.filter((r) => r.dataset === ds).flatMap((r) => r.dirs.filter((d) => d.last));
    if (!ds2.length) continue;
    lines.push(
      `| ${ds} | shipped model | ${f3(mean(ds2.map((d) => d.last!.shipped)))} | ${f3(mean(ds2.map((d) => d.scoringShipped)))} | |`,
    );
    for (const c of CANDIDATES)
      lines.push(
        `| ${ds} | ${c.name} | ${f3(mean(ds2.map((d) => d.last!.candidates[c.name])))} | ${f3(mean(ds2.map((d) => d.scoringCandidate[c.name])))} | ${ds2.filter((d) => d.last!.method === c.name).length} of ${ds2.length} |`,
      );
  }
  lines.push(
    '',
    "Candidates: **cut** — only the cut-off picked again on the verdicts (a recalibration, no trees); **gentle** — 20 depth-2 trees, learning rate 0.05, λ 20, every judged 图斑 weighing the same; **gentle + cut** — the same, the cut-off picked again too; **boost per 图斑** — 40 depth-3 trees, learning rate 0.1, λ 5, every 图斑 weighing the same; **boost** — the same with every pixel weighing the same (the first method, which alone lowered F1 on 9 of 11 scenes: OSCD 0.356 → 0.290, LEVIR 0.627 → 0.545 on 5 cities and 6 samples). Trees are always boosted on from the shipped model's log-odds.",
  );
  lines.push(
    '',
    "Decision rules tried before this one, on the same day, each stopped after its first scenes when the flaw showed (the candidates unchanged): (1) folds dealt every 4th 图斑, no ground tiles — aguasclaras 0.327 → 0.304 / 0.252 / 0.230 over the three months (learning on the right half adopted gentle + cut, then boost per 图斑, then boost), LEVIR test_2_0000_0000 and test_102_0512_0000 unchanged (too few verdicts); (2) the same with ground tiles — aguasclaras 0.327 → 0.301 / 0.240 / 0.230, three LEVIR samples unchanged. On aguasclaras the interleaved folds rated boost 0.675 held out against the shipped model's 0.376, while on the other half's 图斑 it scored 0.490 against 0.700: neighbouring 图斑 in other folds made the held-out score a score on look-alikes. Hence the strips. That change was made after seeing a scoring-half result, one scene's; it is the only one, and the candidates, margin and floors were not touched.",
  );
  const BEGIN = '<!-- eval:learning begin (scripts/eval-learning.ts regenerates this section) -->';
  const END = '<!-- eval:learning end -->';
  const section = [BEGIN, ...lines, END].join('\n');
  const file = join(root, 'EVALUATION.md');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const a = text.indexOf(BEGIN);
  const b = text.indexOf(END);
  const next =
    a >= 0 && b > a
      ? text.slice(0, a) + section + text.slice(b + END.length)
      : `${text.replace(/\n*$/, '\n\n')}${section}\n`;
  writeFileSync(file, next);
  console.error(`wrote the learning section of ${file} (${rows.length} scenes)`);
}
