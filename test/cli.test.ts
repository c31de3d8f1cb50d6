import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = new URL('../bin/gengbao.js', import.meta.url).pathname;

/**
 * Runs the real `gengbao` binary in plain Node (not under Vitest's module loader): this is
 * what catches an import that only a test runner resolves, e.g. named imports from CommonJS.
 */
describe('gengbao command line', () => {
  it('lists its commands', async () => {
    const { stdout } = await run(process.execPath, [BIN, '--help']);
    for (const cmd of ['start', 'worker', 'migrate', 'demo', 'user']) expect(stdout).toMatch(new RegExp(`^\\s+${cmd}\\b`, 'm'));
  });

  it('has --help on every command', async () => {
    const { stdout } = await run(process.execPath, [BIN, '--help']);
    const names = [...stdout.matchAll(/^ {2}([a-z-]+)/gm)].map((m) => m[1]).filter((n) => n !== 'help');
    const helps = await Promise.all(names.map((name) => run(process.execPath, [BIN, name, '--help'])));
    for (const help of helps) expect(help.stdout).toMatch(/Usage: gengbao/);
  });

  it('exits non-zero with a clear message when DATABASE_URL is unreachable', async () => {
    const err = await run(process.execPath, [BIN, 'migrate'], { env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' } }).catch((e) => e);
    expect(err.code).toBe(3);
    expect(err.stderr).toMatch(/cannot reach PostgreSQL at postgres:\/\/nobody@127\.0\.0\.1:1\/none/);
    expect(err.stderr).toMatch(/db_unreachable/);
  });

  it('refuses a worker without DATABASE_URL', async () => {
    const env = { ...process.env };
    delete env.DATABASE_URL;
    const err = await run(process.execPath, [BIN, 'worker'], { env }).catch((e) => e);
    expect(err.code).toBe(2);
    expect(err.stderr).toMatch(/needs DATABASE_URL/);
  });
});
