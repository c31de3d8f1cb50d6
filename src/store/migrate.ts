import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GengbaoError } from '../errors.ts';
import type { Db } from './db.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

/** The migrations shipped with this code, in order: files named `NNN_name.sql`. */
export function shippedMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const sql = readFileSync(dir + file, 'utf8');
      return {
        version: Number(file.slice(0, 3)),
        name: file.slice(4, -4),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

/**
 * Brings the schema up to date. All pending migrations run in ONE transaction and are recorded
 * in `schema_migrations`, so a crash leaves the previous schema intact, never half of a new
 * one. A database whose recorded version is newer than this code is refused: running old code
 * on a new schema could corrupt data it does not understand.
 * Returns the versions applied now (empty when already current: starting twice is a no-op).
 */
export async function migrate(db: Db, migrations = shippedMigrations()): Promise<number[]> {
  return db.transaction(async (tx) => {
    // Several processes (server + workers) may start together against one server.
    if (db.kind === 'postgres') await tx.query(`SELECT pg_advisory_xact_lock(7262001)`);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now())`);
    const applied = await tx.query<{ version: number; checksum: string }>(
      'SELECT version, checksum FROM schema_migrations ORDER BY version',
    );
    const latest = migrations.at(-1)?.version ?? 0;
    const newest = applied.at(-1)?.version ?? 0;
    if (newest > latest) {
      throw new GengbaoError(
        'db_schema_newer',
        `the database schema is at version ${newest} but this Gengbao knows only up to ${latest}; upgrade Gengbao instead of starting an older release on this data`,
      );
    }
    const byVersion = new Map(applied.map((a) => [a.version, a.checksum]));
    const done: number[] = [];
    for (const m of migrations) {
      const recorded = byVersion.get(m.version);
      if (recorded !== undefined) {
        if (recorded !== m.checksum) {
          throw new GengbaoError(
            'conflict',
            `migration ${m.version} (${m.name}) changed after it was applied; ship a new migration instead`,
          );
        }
        continue;
      }
      await tx.exec(m.sql);
      await tx.query(
        'INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)',
        [m.version, m.name, m.checksum],
      );
      done.push(m.version);
    }
    return done;
  });
}
