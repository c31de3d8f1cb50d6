import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { GengbaoError } from '../errors.ts';

/** What the lock file says about its holder: enough for an operator to find it. */
export interface LockHolder {
  pid: number;
  host: string;
  command: string;
  since: string;
}

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

/**
 * Takes the embedded database's lock: `<dir>.lock` created exclusively (O_EXCL), holding the
 * holder's pid, host and command. PGlite has no postmaster to refuse a second opener, and two
 * processes writing the same PGlite directory leave it unopenable — a CLI import run beside
 * `gengbao start` once lost every row, tips already acknowledged included. So a second opener
 * is refused, saying who holds the directory and what to do. A lock whose process is gone
 * (killed, power cut) is stale and taken over; the lock is released on close and on exit.
 */
export function lockDataDir(dir: string, command = commandLine()): DataDirLock {
  const path = `${dir}.lock`;
  const me: LockHolder = {
    pid: process.pid,
    host: hostname(),
    command,
    since: new Date().toISOString(),
  };
  // Two tries: the second after removing a stale lock (a second remover loses the O_EXCL race).
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      return holdLock(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = readHolder(path);
    if (holder && isAlive(holder)) throw lockedError(dir, path, holder);
    try {
      unlinkSync(path);
    } catch {
      // Another process removed it first; the next O_EXCL create decides.
    }
  }
  const holder = readHolder(path);
  throw lockedError(dir, path, holder ?? { pid: 0, host: '?', command: '?', since: '?' });
}

function holdLock(path: string): DataDirLock {
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    // Only our own lock: a stale-lock takeover by another process must not be undone by us.
    if (readHolder(path)?.pid === process.pid) {
      try {
        unlinkSync(path);
      } catch {
        // Already gone.
      }
    }
  };
  process.on('exit', release);
  return { path, release };
}

function readHolder(path: string): LockHolder | null {
  try {
    const h = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    return typeof h.pid === 'number'
      ? { pid: h.pid, host: String(h.host), command: String(h.command), since: String(h.since) }
      : null;
  } catch {
    // Unreadable or half-written (the writer died between create and write): treated as stale.
    return null;
  }
}

/** A holder on another host cannot be checked, so it counts as alive (a shared network disk). */
function isAlive(h: LockHolder): boolean {
  if (h.host !== hostname()) return true;
  if (h.pid === process.pid) return true;
  try {
    process.kill(h.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockedError(dir: string, path: string, h: LockHolder): GengbaoError {
  return new GengbaoError(
    'db_locked',
    `数据目录 ${dir} 正由进程 ${h.pid}（${h.command}，主机 ${h.host}，自 ${h.since}）使用，不能同时打开。` +
      `The embedded database in ${dir} is in use by process ${h.pid} (${h.command} on ${h.host}, since ${h.since}). ` +
      'Stop that process first and run this command again, or do the work through the running server (the office app or its API). ' +
      `If no such process is running, delete ${path}.`,
    { field: 'GENGBAO_DATA_DIR', details: h },
  );
}

function commandLine(): string {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  return `gengbao ${args.slice(0, 2).join(' ')}`.trim();
}
