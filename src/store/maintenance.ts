import type { Db, Queryable } from './db.ts';

// The data tables a reset empties; CASCADE takes the tables that reference them (notifications,
// field submissions …) along, and RESTART IDENTITY makes ids start at 1 again.
const DATA_TABLES =
  'events, jobs, auth_tokens, login_attempts, polygons, reference_features, reference_layers, imagery, users, jurisdictions';

/** Empties every data table (a demo reset), inside the caller's transaction. */
export async function emptyDataTables(tx: Queryable): Promise<void> {
  await tx.exec(`TRUNCATE ${DATA_TABLES} RESTART IDENTITY CASCADE`);
}

/**
 * Planner statistics after a bulk load: without them PostgreSQL guesses, and picks slow plans
 * for the box queries behind map tiles (measured by bench:tiles).
 */
export async function refreshStatistics(db: Db): Promise<void> {
  await db.exec('ANALYZE');
}
