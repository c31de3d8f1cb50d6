/**
 * How fast the tamper-evident record seals and verifies events (`gengbao audit verify` walks
 * the whole chain). Events are real lifecycle events (a polygon walked from found to closed),
 * repeated for N polygons. Prints events per second and writes its section of BENCHMARKS.md.
 * Run: npm run bench:chain [-- N]
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { chainHead, sealEvent, type RecordedEvent } from '../src/cases/record.ts';
import { verifyChain } from '../src/cases/chain-verify.ts';
import { walk } from '../src/cases/test-fixtures.ts';

const polygons = Number(process.argv[2] ?? 10_000);
const template = walk('close').map((s) => s.event);

const t0 = performance.now();
const events: RecordedEvent[] = [];
for (let p = 0; p < polygons; p++) {
  for (const e of template) events.push(sealEvent({ ...e, entityId: `p-${p}` }, chainHead(events)));
}
const t1 = performance.now();
const verdict = verifyChain(events);
const t2 = performance.now();
if (!verdict.ok) throw new Error(`bench chain does not verify: ${verdict.message}`);

const n = events.length;
const rate = (ms: number) => Math.round(n / (ms / 1000)).toLocaleString('en-US');
const lines = [
  '<!-- bench:chain -->',
  '## Hash-chained record (`npm run bench:chain`)',
  '',
  `${n.toLocaleString('en-US')} lifecycle events (${polygons.toLocaleString('en-US')} polygons × ${template.length}), Node ${process.version}:`,
  '',
  '| step | time | events/s |',
  '|---|---|---|',
  `| seal (canonical JSON + SHA-256) | ${((t1 - t0) / 1000).toFixed(2)} s | ${rate(t1 - t0)} |`,
  `| verifyChain | ${((t2 - t1) / 1000).toFixed(2)} s | ${rate(t2 - t1)} |`,
  '<!-- /bench:chain -->',
];
console.log(lines.slice(3).join('\n'));

const file = new URL('../BENCHMARKS.md', import.meta.url);
const section = lines.join('\n');
const old = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
const re = /<!-- bench:chain -->[\s\S]*?<!-- \/bench:chain -->/;
writeFileSync(file, re.test(old) ? old.replace(re, section) : `${old.trimEnd()}\n\n${section}\n`);
