import type { Queryable } from './db.ts';

/** The schema version the database is migrated to; throws when the database does not answer. */
export async function schemaVersion(q: Queryable): Promise<number | null> {
  const rows = await q.query<{ v: number }>('SELECT max(version)::int AS v FROM schema_migrations');
  return rows[0]?.v ?? null;
}

/** The code of the top of the stored grid (the unit with no parent), or null on an empty grid. */
export async function topJurisdictionCode(q: Queryable): Promise<string | null> {
  const rows = await q.query<{ code: string }>(
    'SELECT code FROM jurisdictions WHERE parent_code IS NULL ORDER BY code LIMIT 1',
  );
  return rows[0]?.code ?? null;
}

/**
 * Serialises writers on one key until the transaction ends (an advisory lock), for counts
 * that must be checked and written without a race (tips per client per hour).
 */
export async function lockKey(tx: Queryable, key: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [key]);
}
