import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isGengbaoError } from '../errors.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { openPglite } from './pglite.ts';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'gengbao-lock-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The pid of a process that has exited, so a lock naming it is stale. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

describe('the embedded data directory lock', () => {
  it('refuses a second opener while the first holds it, naming the holder, and frees it on close', async () => {
    const dir = join(tempDir(), 'pg');
    const first = await openPglite(dir);
    await first.query('CREATE TABLE t (x int)');
    const second = await openPglite(dir).catch((e) => e);
    expect(isGengbaoError(second) && second.code).toBe('db_locked');
    expect(second.message).toContain(`进程 ${process.pid}`);
    expect(second.message).toContain(`${dir}.lock`);
    // The refused opener touched nothing: the first still works.
    await first.query('INSERT INTO t VALUES (1)');
    await first.close();
    expect(existsSync(`${dir}.lock`)).toBe(false);
    const again = await openPglite(dir);
    expect(await again.query('SELECT x FROM t')).toEqual([{ x: 1 }]);
    await again.close();
  });

  it('takes over a lock left by a process that died', () => {
    const dir = join(tempDir(), 'pg');
    writeFileSync(
      `${dir}.lock`,
      JSON.stringify({
        pid: deadPid(),
        host: hostname(),
        command: 'gengbao start',
        since: '2026-01-01T00:00:00Z',
      }),
    );
    const lock = lockDataDir(dir, 'gengbao test');
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({
      pid: process.pid,
      command: 'gengbao test',
    });
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
  });

  it('takes over a half-written lock file', () => {
    const dir = join(tempDir(), 'pg');
    writeFileSync(`${dir}.lock`, '{"pid": 12');
    const lock = lockDataDir(dir);
    lock.release();
  });

  it('counts a holder on another host as alive (a shared disk cannot be checked)', () => {
    const dir = join(tempDir(), 'pg');
    writeFileSync(
      `${dir}.lock`,
      JSON.stringify({
        pid: deadPid(),
        host: 'other-machine',
        command: 'gengbao start',
        since: '2026-01-01T00:00:00Z',
      }),
    );
    expect(() => lockDataDir(dir)).toThrow(/other-machine/);
    expect(existsSync(`${dir}.lock`)).toBe(true);
  });

  it('does not remove a lock another process took over', () => {
    const dir = join(tempDir(), 'pg');
    const lock = lockDataDir(dir);
    writeFileSync(
      lock.path,
      JSON.stringify({
        pid: process.pid + 1,
        host: hostname(),
        command: 'gengbao start',
        since: 'now',
      }),
    );
    lock.release();
    expect(existsSync(lock.path)).toBe(true);
  });
});
