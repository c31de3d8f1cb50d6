/**
 * `npx tsx scripts/eval-cascade.ts [--shares 0.5,1]`: what the learned s2 classifier's cascade
 * (src/detect/learned/cascade.ts) costs in accuracy on OSCD's labelled cities. Per city and
 * cascade bar: the share of the labelled change pixels the cascade passes (its recall), the
 * share of all valid pixels it passes, and the F1 of the whole detector with and without it,
 * beside the rules'. The shipped model is trained on these cities (in-sample): what counts is
 * the difference the cascade makes. Prints a Markdown table; writes nothing. `--exact-trees`:
 * without the trees' early exit (compiled-trees.ts treeExit), every tree for every pixel.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { detectChanges } from '../src/detect/detect.ts';
import { shippedClassifier } from '../src/detect/learned/shipped.ts';
import { treeExit } from '../src/detect/learned/compiled-trees.ts';
import { scoreMasks } from '../src/detect/metrics.ts';
import type { DetectConfig } from '../src/detect/profiles.ts';
import { registerDecoders } from '../src/raster/decoders.ts';
import { openScene } from '../src/raster/scene-source.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const oscd = resolve(root, '../shared/data/oscd');
const args = process.argv.slice(2);
const sharesArg = args[args.indexOf('--shares') + 1];
const shares = (args.includes('--shares') ? sharesArg : '0.5,1').split(',').map(Number);
if (args.includes('--exact-trees')) treeExit.rule = null;
console.error(`trees' early exit: ${JSON.stringify(treeExit.rule)}`);
registerDecoders();
const shipped = shippedClassifier('s2');

/** The run's final mask on the label's w × h grid (OSCD's labels are on the before grid). */
async function run(city: string, config: Partial<DetectConfig>, w: number, h: number) {
  const [b, a] = [join(oscd, city, 'before'), join(oscd, city, 'after')];
  const t = performance.now();
  const r = await detectChanges(await openScene(b), await openScene(a), {
    sensor: 's2',
    config,
    ...(config.closeRadius === 0 ? { minAreaM2: 0 } : {}),
  });
  const ms = performance.now() - t;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < r.window.height && r.window.y0 + y < h; y++)
    for (let x = 0; x < r.window.width && r.window.x0 + x < w; x++)
      out[(r.window.y0 + y) * w + r.window.x0 + x] = r.mask[y * r.window.width + x] ? 1 : 0;
  return { mask: out, ms };
}

/**
 * The pixels the cascade passes: a classifier with the shipped one's floor, cut and cascade
 * but no trees and a certain logit, so that every passed pixel is change and nothing else,
 * with the clean-up that follows (greening and seasonal rules, closing, minimum area) off.
 */
const passing = (cascade: number): Partial<DetectConfig> => ({
  learned: { ...shipped, trees: [], base: 100, cascade },
  rejectGreening: false,
  rejectSeasonal: false,
  openRadius: 0,
  closeRadius: 0,
});

const sum = (m: Uint8Array): number => m.reduce((s, v) => s + v, 0);
const both = (a: Uint8Array, b: ArrayLike<number>): number => {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] && b[i]) n++;
  return n;
};

const rows: string[] = [];
const totals = shares.map(() => ({ f1: 0, recall: 0, passed: 0, kept: 0, ms: 0 }));
let [f1None, f1Rules, msNone, n] = [0, 0, 0, 0];
for (const city of readdirSync(oscd).sort()) {
  const labelFile = join(oscd, city, 'label.png');
  if (!existsSync(labelFile)) continue;
  const png = PNG.sync.read(readFileSync(labelFile));
  const [w, h] = [png.width, png.height];
  const label = new Uint8Array(w * h);
  for (let i = 0; i < label.length; i++) label[i] = png.data[i * 4] ? 1 : 0;
  const none = await run(city, { learned: { ...shipped, cascade: undefined } }, w, h);
  const rules = await run(city, { learned: null }, w, h);
  const f1 = scoreMasks(none.mask, label).f1;
  const f1r = scoreMasks(rules.mask, label).f1;
  [f1None, f1Rules, msNone, n] = [f1None + f1, f1Rules + f1r, msNone + none.ms, n + 1];
  const cells: string[] = [];
  for (const [k, cascade] of shares.entries()) {
    const withIt = await run(city, { learned: { ...shipped, cascade } }, w, h);
    const passed = (await run(city, passing(cascade), w, h)).mask;
    const t = totals[k];
    const f1c = scoreMasks(withIt.mask, label).f1;
    const recall = both(passed, label) / Math.max(1, sum(label));
    const share = sum(passed) / (w * h);
    const kept = both(withIt.mask, none.mask) / Math.max(1, sum(none.mask));
    [t.f1, t.recall, t.passed, t.kept, t.ms] = [
      t.f1 + f1c,
      t.recall + recall,
      t.passed + share,
      t.kept + kept,
      t.ms + withIt.ms,
    ];
    cells.push(
      `${f1c.toFixed(3)} | ${(recall * 100).toFixed(1)} % | ${(share * 100).toFixed(1)} % | ${(kept * 100).toFixed(1)} % | ${(withIt.ms / 1000).toFixed(1)} s`,
    );
  }
  const row = `| ${city} | ${f1r.toFixed(3)} | ${f1.toFixed(3)} | ${(none.ms / 1000).toFixed(1)} s | ${cells.join(' | ')} |`;
  console.error(row, `(load ${loadavg()[0].toFixed(2)})`);
  rows.push(row);
}
const head = shares.map(
  (s) =>
    `F1, cascade ${s} | labelled change passed (${s}) | pixels passed (${s}) | marks kept (${s}) | time (${s})`,
);
console.log(
  [
    `| city | rules F1 | learned F1, no cascade | time, no cascade | ${head.join(' | ')} |`,
    `|---|---|---|---|${shares.map(() => '---|---|---|---|---|').join('')}`,
    ...rows,
    `| **mean** | ${(f1Rules / n).toFixed(3)} | ${(f1None / n).toFixed(3)} | ${(msNone / 1000).toFixed(1)} s | ${totals
      .map(
        (t) =>
          `${(t.f1 / n).toFixed(3)} | ${((t.recall / n) * 100).toFixed(1)} % | ${((t.passed / n) * 100).toFixed(1)} % | ${((t.kept / n) * 100).toFixed(1)} % | ${(t.ms / 1000).toFixed(1)} s`,
      )
      .join(' | ')} |`,
  ].join('\n'),
);
