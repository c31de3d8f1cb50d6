import { PGlite } from '@electric-sql/pglite';
import { GengbaoError } from '../errors.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { NUMBER_TYPE_OIDS, type Db, type Queryable } from './db.ts';

const parsers = Object.fromEntries(NUMBER_TYPE_OIDS.map((oid) => [oid, (v: string) => Number(v)]));

function wrap(q: Pick<PGlite, 'query' | 'exec'>): Queryable {
  return {
    async query<T>(sql: string, params: unknown[] = []) {
      return (await q.query<T>(sql, params)).rows;
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
    // PGlite reads COPY data from a Blob named '/dev/blob' instead of the wire's STDIN.
    async copyFrom(sql: string, text: string) {
      await q.query(sql.replace(/\bFROM\s+STDIN\b/i, "FROM '/dev/blob'"), [], {
        blob: new Blob([text]),
      });
    },
  };
}

/**
 * Opens embedded PostgreSQL. `dataDir` undefined means in memory (tests). A data directory
 * that PostgreSQL cannot start from is reported as corrupt instead of crashing with a WASM
 * abort, so the operator knows to restore it rather than to reinstall. A directory is opened by
 * one process at a time (`lockDataDir`): a second opener is refused before it touches a file.
 */
export async function openPglite(dataDir?: string): Promise<Db> {
  const lock = dataDir === undefined ? null : lockDataDir(dataDir);
  let pg: PGlite;
  try {
    pg = await PGlite.create(dataDir, { parsers });
    await pg.query('SELECT 1');
  } catch (e) {
    lock?.release();
    throw new GengbaoError(
      'db_corrupt',
      `cannot open the embedded database in ${dataDir ?? 'memory'}: ${(e as Error).message ?? e}. ` +
        'The data directory is damaged or not a Gengbao data directory; restore it from a backup or point GENGBAO_DATA_DIR elsewhere.',
      { field: 'GENGBAO_DATA_DIR', cause: e },
    );
  }
  const base = wrap(pg);
  return {
    kind: 'pglite',
    ...base,
    async transaction<T>(fn: (tx: Queryable) => Promise<T>) {
      return pg.transaction((tx) => fn(wrap(tx)));
    },
    async close() {
      if (!pg.closed) await pg.close();
      lock?.release();
    },
  };
}
