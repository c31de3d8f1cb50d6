import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBundle, bundlePaths, threadModule } from './bundle.ts';
import { ThreadPool } from './pool.ts';

const ENTRY = new URL('./test-module.ts', import.meta.url);
const { manifest } = bundlePaths(ENTRY);
const errors = fileURLToPath(new URL('../errors.ts', import.meta.url));
const pause = (): Promise<unknown> => new Promise((r) => setTimeout(r, 20));

describe('thread module bundles', () => {
  const pool = new ThreadPool(1);
  afterAll(() => pool.close());

  it('bundles a module with its sources stamped, and rebuilds when a source changed', async () => {
    const out = await buildBundle(ENTRY);
    const inputs = JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, string>;
    expect(Object.keys(inputs)).toContain(errors);
    expect(readFileSync(out, 'utf8')).toMatch(/GengbaoError = class/);
    // A stamp that no longer matches its file (as after an edit) makes the next call rebuild.
    writeFileSync(manifest, JSON.stringify({ ...inputs, [errors]: 'stale' }));
    const before = statSync(out).mtimeMs;
    await pause();
    await buildBundle(ENTRY);
    expect(statSync(out).mtimeMs).toBeGreaterThan(before);
    expect(JSON.parse(readFileSync(manifest, 'utf8'))[errors]).not.toBe('stale');
  });

  it('rebuilds when the bundle was built from another checkout’s sources', async () => {
    const out = await buildBundle(ENTRY);
    // A manifest whose files all exist unchanged, but none of them this checkout's entry.
    const other = fileURLToPath(import.meta.url);
    const s = statSync(other);
    writeFileSync(manifest, JSON.stringify({ [other]: `${s.size}:${s.mtimeMs}` }));
    const before = statSync(out).mtimeMs;
    await pause();
    await buildBundle(ENTRY);
    expect(statSync(out).mtimeMs).toBeGreaterThan(before);
    expect(Object.keys(JSON.parse(readFileSync(manifest, 'utf8')))).toContain(fileURLToPath(ENTRY));
  });

  it('runs the bundle on a thread, errors revived as from the sources', async () => {
    const url = await threadModule(ENTRY);
    expect(url).toBe(pathToFileURL(bundlePaths(ENTRY).out).href);
    await expect(
      pool.run(url, 'fail', { code: 'not_found', field: 'x', message: 'gone' }),
    ).rejects.toMatchObject({
      code: 'not_found',
      field: 'x',
    });
  });
});
