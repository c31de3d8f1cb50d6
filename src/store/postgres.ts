import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { GengbaoError } from '../errors.ts';
import { NUMBER_TYPE_OIDS, type Db, type Queryable } from './db.ts';

for (const oid of NUMBER_TYPE_OIDS) pg.types.setTypeParser(oid, (v: string) => Number(v));

function wrap(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<T>(sql: string, params: unknown[] = []) {
      return (await client.query(sql, params)).rows as T[];
    },
    async exec(sql: string) {
      await client.query(sql);
    },
    async copyFrom(sql: string, text: string) {
      const c = client instanceof pg.Pool ? await client.connect() : client;
      try {
        const stream = c.query(copyFrom(sql));
        await pipeline(Readable.from([Buffer.from(text)]), stream);
      } finally {
        if (c !== client) (c as pg.PoolClient).release();
      }
    },
  };
}

/** Redacts the password of a connection URL for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/**
 * Opens a pool on a PostgreSQL server. Fails fast, with the address it tried, when the server
 * cannot be reached: a province operator must see "unreachable" rather than a hang.
 */
export async function openPostgres(url: string, opts: { max?: number } = {}): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    connectionTimeoutMillis: 5000,
  });
  pool.on('error', () => {
    /* idle client errors surface on the next query */
  });
  try {
    await pool.query('SELECT 1');
  } catch (e) {
    await pool.end().catch(() => {});
    throw new GengbaoError(
      'db_unreachable',
      `cannot reach PostgreSQL at ${redactUrl(url)}: ${(e as Error).message}`,
      {
        field: 'DATABASE_URL',
        cause: e,
      },
    );
  }
  return {
    kind: 'postgres',
    ...wrap(pool),
    async transaction<T>(fn: (tx: Queryable) => Promise<T>) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}
