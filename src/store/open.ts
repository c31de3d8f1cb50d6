import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Env } from '../config/env.ts';
import type { Db } from './db.ts';
import { migrate } from './migrate.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';

/** Opens the configured back-end: a server when DATABASE_URL is set, embedded PGlite otherwise. */
export async function openDb(env: Pick<Env, 'DATABASE_URL' | 'GENGBAO_DATA_DIR'>): Promise<Db> {
  if (env.DATABASE_URL) return openPostgres(env.DATABASE_URL);
  const dir = resolve(env.GENGBAO_DATA_DIR, 'pg');
  mkdirSync(dir, { recursive: true });
  return openPglite(dir);
}

/** Opens and migrates; closes again if migration fails so no handle leaks. */
export async function openMigratedDb(
  env: Pick<Env, 'DATABASE_URL' | 'GENGBAO_DATA_DIR'>,
): Promise<Db> {
  const db = await openDb(env);
  try {
    await migrate(db);
    return db;
  } catch (e) {
    await db.close().catch(() => {});
    throw e;
  }
}
