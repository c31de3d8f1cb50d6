import { afterAll, describe, expect, it } from 'vitest';
import { GengbaoError, type ErrorCode } from '../errors.ts';
import { ThreadPool } from './pool.ts';

const MODULE = new URL('./test-module.ts', import.meta.url);
// A Record, so that a code added to ErrorCode and not here fails the type check.
const CODES: Record<ErrorCode, true> = {
  bad_input: true,
  not_found: true,
  unauthenticated: true,
  forbidden: true,
  forbidden_jurisdiction: true,
  conflict: true,
  rate_limited: true,
  db_unreachable: true,
  db_schema_newer: true,
  db_corrupt: true,
  db_locked: true,
  unsupported: true,
  internal: true,
};

describe('ThreadPool', () => {
  const pool = new ThreadPool(2);
  const m = pool.module<typeof import('./test-module.ts')>(MODULE);
  afterAll(() => pool.close());

  it('brings a GengbaoError thrown on a thread back with its code, field and details, for every code', async () => {
    for (const code of Object.keys(CODES) as ErrorCode[]) {
      const e = await m
        .run('fail', { code, field: `f-${code}`, message: `no ${code}` })
        .catch((x: unknown) => x);
      expect(e).toBeInstanceOf(GengbaoError);
      expect(e).toMatchObject({
        code,
        field: `f-${code}`,
        message: `no ${code}`,
        details: { at: 'thread' },
      });
      // The thread's stack: where it was thrown.
      expect((e as Error).stack).toMatch(/test-module\.ts/);
    }
  });

  it('brings a plain Error back as an Error with its message', async () => {
    const e = await m.run('fail', { message: 'plain' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Error);
    expect(e).not.toBeInstanceOf(GengbaoError);
    expect((e as Error).message).toBe('plain');
  });

  it('moves arrays in the transfer list instead of copying them', async () => {
    const values = new Float64Array([1, 2, 3.5]);
    expect(await m.run('sum', values, [values.buffer])).toBe(6.5);
    expect(values.byteLength).toBe(0); // detached here
  });

  it('runs one call per thread at a time, and `each` on every thread beside them', async () => {
    const ids = await Promise.all([m.run('slow', 50), m.run('slow', 50), m.run('slow', 1)]);
    expect(new Set(ids.slice(0, 2)).size).toBe(2);
    const before = await m.each('count', undefined);
    expect(before).toHaveLength(2);
    expect(await m.each('count', undefined)).toEqual(before.map((n) => n + 1));
  });

  it('rejects a missing export, and fails the calls of a thread that crashed, reviving its error', async () => {
    await expect(pool.run(MODULE, 'nothing', 1)).rejects.toThrow(/has no export nothing/);
    const e = await pool
      .run(MODULE, 'crash')
      .then(() => pool.run(MODULE, 'slow', 200))
      .catch((x: unknown) => x);
    // Either the crash took the waiting call with it, or the call ran on a fresh thread.
    if (e instanceof Error) expect(e).toMatchObject({ code: 'unsupported', field: 'crash' });
    expect(typeof (await pool.run(MODULE, 'slow', 1))).toBe('number');
  });

  it('rejects calls once closed', async () => {
    const p = new ThreadPool(1);
    await p.close();
    await expect(p.run(MODULE, 'count')).rejects.toMatchObject({ code: 'internal' });
  });
});
