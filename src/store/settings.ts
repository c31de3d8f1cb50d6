import type { Queryable } from './db.ts';

/** Installation facts (e.g. `demo` loaded at which version). Not user data: unscoped. */
export async function getSetting<T>(q: Queryable, key: string): Promise<T | null> {
  const rows = await q.query<{ value: T }>('SELECT value FROM settings WHERE key = $1', [key]);
  return rows[0]?.value ?? null;
}

export async function putSetting(q: Queryable, key: string, value: unknown): Promise<void> {
  await q.query(
    'INSERT INTO settings (key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value',
    [key, JSON.stringify(value)],
  );
}
