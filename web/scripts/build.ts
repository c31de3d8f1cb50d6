/**
 * Builds the office web app (web/ → web/dist) with Vite. `--if-stale` skips the build when
 * web/dist was built from the same sources (a hash of web/src, index.html, tip.html, the
 * shared contract in src/, the Vite config and package-lock.json), so `npm start` stays fast once built and a fresh clone's
 * `npm ci && npm start` needs no extra step.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DIST = join(WEB_ROOT, 'dist');
const STAMP = join(DIST, '.source-hash');

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else yield p;
  }
}

/** A hash of everything the bundle is made from. */
export function sourceHash(): string {
  const h = createHash('sha256');
  // The build's kind: a bundle stamped before builds were pinned to production may be a
  // development one (see buildWeb), so it is built again.
  h.update('production');
  const inputs = [
    ...files(join(WEB_ROOT, 'src')),
    join(WEB_ROOT, 'index.html'),
    join(WEB_ROOT, 'tip.html'),
    // The contract shared with the server (src/contract and the pure modules it re-exports).
    ...files(join(WEB_ROOT, '..', 'src', 'contract')),
    ...files(join(WEB_ROOT, '..', 'src', 'cases')),
    ...files(join(WEB_ROOT, '..', 'src', 'store', 'rows')),
    join(WEB_ROOT, '..', 'src', 'grid', 'levels.ts'),
    join(WEB_ROOT, 'vite.config.ts'),
    join(WEB_ROOT, '..', 'package-lock.json'),
  ];
  for (const f of inputs)
    if (existsSync(f)) h.update(f.slice(WEB_ROOT.length)).update(readFileSync(f));
  return h.digest('hex');
}

/** True when web/dist holds a build of the current sources. */
export function isBuildCurrent(): boolean {
  return (
    existsSync(join(DIST, 'index.html')) &&
    existsSync(STAMP) &&
    readFileSync(STAMP, 'utf8') === sourceHash()
  );
}

/** Builds web/dist unless it is current (or always, with `force`); returns whether it built. */
export async function buildWeb(
  opts: { force?: boolean; log?: (m: string) => void } = {},
): Promise<boolean> {
  const log = opts.log ?? console.log;
  if (!opts.force && isBuildCurrent()) return false;
  const hash = sourceHash();
  const t0 = Date.now();
  log('building the web app (web/ → web/dist) …');
  const { build } = await import('vite');
  // Vite takes an existing NODE_ENV over the build's mode: called from vitest (NODE_ENV=test)
  // it bundled React's development build and the dev JSX runtime (2.4 MB of script, renders
  // several times slower), and `gengbao start` then served that bundle, its sources unchanged.
  // The office app is always built for production.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      root: WEB_ROOT,
      configFile: join(WEB_ROOT, 'vite.config.ts'),
      mode: 'production',
      logLevel: 'warn',
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  writeFileSync(STAMP, hash);
  log(`web app built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildWeb({ force: !process.argv.includes('--if-stale') });
}
