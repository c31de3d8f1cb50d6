import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gengbao } from '../support/gengbao-process.ts';

const LAYER = new URL('../../src/analyze/fixtures/in/approvals.geojson', import.meta.url).pathname;

/**
 * Finding: `gengbao import layer` run against the data directory of a running `gengbao start`
 * left the embedded database unopenable, losing everything. Now the second process is refused
 * before it touches a file, and the server and its record are unharmed.
 */
describe('one process per embedded data directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gengbao-lock-e2e-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const env = { GENGBAO_DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1' };

  it('refuses the CLI while the server runs; the server keeps answering and the record verifies afterwards', async () => {
    const server = gengbao(['start', '--no-demo'], env);
    const url = (await server.waitFor(/serving http:\/\/localhost:\d+/)).replace('serving ', '');
    try {
      const imp = gengbao(['import', 'layer', LAYER, '--kind', 'approval'], env);
      expect(await imp.exited).toBe(3);
      expect(imp.output()).toMatch(/db_locked/);
      expect(imp.output()).toContain(`进程 ${server.child.pid}`);
      expect(imp.output()).toMatch(/gengbao start/);

      const health = await (await fetch(`${url}/api/health`)).json();
      expect(health).toMatchObject({ status: 'ok', database: { reachable: true } });
    } finally {
      server.child.kill('SIGTERM');
    }
    expect(await server.exited).toBe(0);
    expect(existsSync(join(dir, 'pg.lock'))).toBe(false);

    const verify = gengbao(['audit', 'verify'], env);
    expect(await verify.exited).toBe(0);
    expect(verify.output()).toMatch(/record intact/);
  }, 240_000);

  it('a server killed with SIGKILL leaves a stale lock that the next process takes over', async () => {
    const server = gengbao(['start', '--no-demo'], env);
    await server.waitFor(/serving http:\/\/localhost:\d+/);
    server.child.kill('SIGKILL');
    await server.exited;
    expect(existsSync(join(dir, 'pg.lock'))).toBe(true);
    const verify = gengbao(['audit', 'verify'], env);
    expect(await verify.exited).toBe(0);
    expect(verify.output()).toMatch(/record intact/);
  }, 240_000);
});
