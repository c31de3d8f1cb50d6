/**
 * A thread module as one prebuilt ES module, so that a thread starts in a tenth of a second.
 * Loaded through tsx, each thread resolved and transformed the thirty-odd source modules of
 * detection's classify worker one round trip to tsx's loader thread at a time — a second or
 * more per thread on a busy 2-core machine, paid at the start of every run. esbuild (the
 * compiler tsx itself runs) bundles Gengbao's own modules into node_modules/.cache/gengbao/;
 * npm packages stay imports resolved from node_modules. A bundle is rebuilt whenever one of
 * its source files changed (sizes and modification times are kept beside it), so a checkout
 * never runs stale code; when it cannot be built or written, threads load the sources.
 *
 * Only for modules that do not find files relative to their own `import.meta.url` (the
 * bundle lives elsewhere).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// One folder per checkout, named by a hash of its path (see upToDate).
const OUT_DIR = join(
  ROOT,
  'node_modules/.cache/gengbao',
  createHash('sha256').update(ROOT).digest('hex').slice(0, 12),
);

type Manifest = Record<string, string>;

const stamp = (file: string): string => {
  const s = statSync(file);
  return `${s.size}:${s.mtimeMs}`;
};

/** Where the bundle of `entry` (a .ts file) and its manifest of source stamps are written. */
export function bundlePaths(entry: URL): { out: string; manifest: string } {
  // Named by its path in the checkout: two folders may hold modules of one name.
  const name = relative(ROOT, fileURLToPath(entry)).replace(/[\\/]/g, '-');
  const out = join(OUT_DIR, name.replace(/\.ts$/, '.mjs'));
  return { out, manifest: `${out}.inputs.json` };
}

function upToDate(entry: string, out: string, manifest: string): boolean {
  try {
    if (!existsSync(out)) return false;
    const inputs = JSON.parse(readFileSync(manifest, 'utf8')) as Manifest;
    // Built from this checkout's sources: two checkouts can share one node_modules (a git
    // worktree with it linked), and the other's bundle, up to date with its own sources,
    // would otherwise run here.
    if (!(entry in inputs)) return false;
    return Object.entries(inputs).every(([file, s]) => existsSync(file) && stamp(file) === s);
  } catch {
    return false;
  }
}

const cached = new Map<string, Promise<string>>();

/**
 * The URL threads should load for `entry`: its bundle (built if stale, once per process), or
 * `entry` itself when the bundle cannot be built.
 */
export function threadModule(entry: URL): Promise<string> {
  let url = cached.get(entry.href);
  if (!url) {
    url = buildBundle(entry).then(
      (out) => pathToFileURL(out).href,
      () => entry.href,
    );
    cached.set(entry.href, url);
  }
  return url;
}

/** Build the bundle of `entry` unless it is up to date with its sources; resolves to its path. */
export async function buildBundle(entry: URL): Promise<string> {
  const file = fileURLToPath(entry);
  const { out, manifest } = bundlePaths(entry);
  if (upToDate(file, out, manifest)) return out;
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [file],
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
    const source = resolve(ROOT, f);
    inputs[source] = stamp(source);
  }
  mkdirSync(OUT_DIR, { recursive: true });
  // Written beside and renamed into place: a concurrent run never loads half a file.
  const tmp = `${out}.${process.pid}`;
  writeFileSync(tmp, result.outputFiles[0].contents);
  renameSync(tmp, out);
  writeFileSync(`${manifest}.${process.pid}`, JSON.stringify(inputs));
  renameSync(`${manifest}.${process.pid}`, manifest);
  return out;
}
