/**
 * I/O: the classify worker as one ES module, so that a worker starts in a tenth of a second.
 * Loaded through tsx, each worker resolved and transformed its thirty-odd source modules one
 * round trip to tsx's loader thread at a time — a second or more per worker on a busy 2-core
 * machine, paid at the start of every run. esbuild (the compiler tsx itself runs) bundles
 * Gengbao's own modules into node_modules/.cache/gengbao/, npm packages stay imports resolved
 * from node_modules. The bundle is rebuilt whenever one of its source files changed (sizes
 * and modification times are kept beside it), so a checkout never runs stale code; when it
 * cannot be built or written, workers fall back to loading the sources through tsx.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('./classify-worker.ts', import.meta.url));
const ROOT = resolve(dirname(ENTRY), '../..');
// One folder per checkout, named by a hash of its path (see upToDate).
const OUT_DIR = join(
  ROOT,
  'node_modules/.cache/gengbao',
  createHash('sha256').update(ROOT).digest('hex').slice(0, 12),
);
const OUT = join(OUT_DIR, 'classify-worker.mjs');
export const MANIFEST = `${OUT}.inputs.json`;

type Manifest = Record<string, string>;

const stamp = (file: string): string => {
  const s = statSync(file);
  return `${s.size}:${s.mtimeMs}`;
};

function upToDate(): boolean {
  try {
    if (!existsSync(OUT)) return false;
    const inputs = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest;
    // Built from this checkout's sources: two checkouts can share one node_modules (a git
    // worktree with it linked), and the other's bundle, up to date with its own sources,
    // would otherwise run here.
    if (!(ENTRY in inputs)) return false;
    return Object.entries(inputs).every(([file, s]) => existsSync(file) && stamp(file) === s);
  } catch {
    return false;
  }
}

let cached: Promise<string | undefined> | undefined;

/** Path of the bundled classify worker, built if stale; undefined when it cannot be built. */
export function classifyWorkerBundle(): Promise<string | undefined> {
  cached ??= buildClassifyWorker().catch(() => undefined);
  return cached;
}

/** Build the bundle unless it is up to date with its sources; resolves to its path. */
export async function buildClassifyWorker(): Promise<string> {
  if (upToDate()) return OUT;
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    write: false,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: ROOT,
  });
  const inputs: Manifest = {};
  for (const f of Object.keys(result.metafile.inputs)) {
    const file = resolve(ROOT, f);
    inputs[file] = stamp(file);
  }
  mkdirSync(OUT_DIR, { recursive: true });
  // Written beside and renamed into place: a concurrent run never loads half a file.
  const tmp = `${OUT}.${process.pid}`;
  writeFileSync(tmp, result.outputFiles[0].contents);
  renameSync(tmp, OUT);
  writeFileSync(`${MANIFEST}.${process.pid}`, JSON.stringify(inputs));
  renameSync(`${MANIFEST}.${process.pid}`, MANIFEST);
  return OUT;
}
