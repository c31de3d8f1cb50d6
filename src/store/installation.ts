import type { Queryable } from './db.ts';

/** How many accounts exist: `gengbao init` sets up only an installation with none. */
export async function countUsers(q: Queryable): Promise<number> {
  const [{ n }] = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
  return n;
}
