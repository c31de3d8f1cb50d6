import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { commands, registrarsFor } from '../src/cli/commands.ts';

const run = promisify(execFile);
const BIN = new URL('../bin/gengbao.js', import.meta.url).pathname;

/**
 * Runs the real `gengbao` binary in plain Node (not under Vitest's module loader): this is
 * what catches an import that only a test runner resolves, e.g. named imports from CommonJS.
 */
describe('gengbao command line', () => {
  it('lists its commands', async () => {
    const { stdout } = await run(process.execPath, [BIN, '--help']);
    for (const cmd of ['start', 'worker', 'migrate', 'demo', 'user'])
      expect(stdout).toMatch(new RegExp(`^\\s+${cmd}\\b`, 'm'));
  });

  it('has --help on every command and sub-command', async () => {
    // In process: spawning one Node per command costs seconds each on a busy 2-core machine;
    // the spawned `--help` above already proves every command module loads in plain Node.
    const program = new Command('gengbao').exitOverride();
    for (const [name, load] of Object.entries(commands)) {
      (await load()).register(program);
      // The key is what main.ts matches argv against: it must be the command's own name.
      expect(program.commands.at(-1)?.name()).toBe(name);
    }
    const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
    const subcommands = all(program).slice(1);
    expect(subcommands.length).toBeGreaterThanOrEqual(8);
    for (const c of subcommands) {
      expect(c.description(), c.name()).not.toBe('');
      expect(c.helpInformation()).toMatch(/^Usage: /);
    }
  });

  it('loads only the command asked for, and every command for help', () => {
    expect(registrarsFor(['node', 'gengbao', 'detect', '--help'])).toEqual([commands.detect]);
    expect(registrarsFor(['node', 'gengbao', '--help'])).toHaveLength(Object.keys(commands).length);
    expect(registrarsFor(['node', 'gengbao', 'nonsense'])).toHaveLength(
      Object.keys(commands).length,
    );
    expect(registrarsFor(['node', 'gengbao', 'toString'])).toHaveLength(
      Object.keys(commands).length,
    );
  });

  it('exits non-zero with a clear message when DATABASE_URL is unreachable', async () => {
    const err = await run(process.execPath, [BIN, 'migrate'], {
      env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' },
    }).catch((e) => e);
    expect(err.code).toBe(3);
    expect(err.stderr).toMatch(
      /cannot reach PostgreSQL at postgres:\/\/nobody@127\.0\.0\.1:1\/none/,
    );
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
