import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildClassifyWorker, MANIFEST } from './worker-bundle.ts';

describe('classify worker bundle', () => {
  it('bundles the worker with its sources stamped, and rebuilds when a source changed', async () => {
    const out = await buildClassifyWorker();
    const classify = fileURLToPath(new URL('./classify.ts', import.meta.url));
    const inputs = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, string>;
    expect(Object.keys(inputs)).toContain(classify);
    expect(readFileSync(out, 'utf8')).toMatch(/classifyWindow/);
    // A stamp that no longer matches its file (as after an edit) makes the next call rebuild.
    writeFileSync(MANIFEST, JSON.stringify({ ...inputs, [classify]: 'stale' }));
    const before = statSync(out).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));
    await buildClassifyWorker();
    expect(statSync(out).mtimeMs).toBeGreaterThan(before);
    expect(JSON.parse(readFileSync(MANIFEST, 'utf8'))[classify]).not.toBe('stale');
  });

  it('rebuilds when the bundle was built from another checkout’s sources', async () => {
    const out = await buildClassifyWorker();
    // A manifest whose files all exist unchanged, but none of them this checkout's worker.
    const other = fileURLToPath(import.meta.url);
    const s = statSync(other);
    writeFileSync(MANIFEST, JSON.stringify({ [other]: `${s.size}:${s.mtimeMs}` }));
    const before = statSync(out).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));
    await buildClassifyWorker();
    expect(statSync(out).mtimeMs).toBeGreaterThan(before);
    expect(Object.keys(JSON.parse(readFileSync(MANIFEST, 'utf8')))).toContain(
      fileURLToPath(new URL('./classify-worker.ts', import.meta.url)),
    );
  });
});
