import type { Queryable } from './db.ts';
import { USERS } from './rows/users.ts';
import type { Row } from './table.ts';
import { principalOf, type Principal } from './users.ts';

/**
 * One enabled account per unit at the given levels: the scopes whose map tiles are worth
 * building ahead (a tile is built for a scope, and the scope is a unit). Unscoped on purpose:
 * the tile pre-builder runs for the server, not for a caller, and writes only to its cache.
 */
export async function tileScopes(q: Queryable, levels: readonly string[]): Promise<Principal[]> {
  const rows = await q.query<Row>(
    `SELECT DISTINCT ON (u.jurisdiction_code) ${USERS.select({ alias: 'u' })}
       FROM users u JOIN jurisdictions j ON j.code = u.jurisdiction_code
      WHERE NOT u.disabled AND j.level = ANY($1::text[])
      ORDER BY u.jurisdiction_code, u.id`,
    [levels],
  );
  return rows.map((r) => principalOf(USERS.read(r)));
}
