import type { Queryable } from './db.ts';

/** A unit of the grid by name, for pages that must not show its code. */
export interface PlaceName {
  code: string;
  level: string;
  name: string;
}

/** Who took a step of the record, as a person reads it: their name and their unit. */
export interface ActorName {
  displayName: string;
  unitName: string;
  role: string;
}

/**
 * The named units a 图斑 lies in, from its own jurisdiction up the parent chain (village,
 * township, county, …). Unscoped on purpose: the caller already sees the 图斑, and the names of
 * the units above it are public knowledge — a village chief's page names its township too.
 */
export async function placeNamesOf(q: Queryable, jurisdictionCode: string): Promise<PlaceName[]> {
  return q.query<PlaceName>(
    `WITH RECURSIVE up(code, level, name, parent_code, depth) AS (
       SELECT code, level, name, parent_code, 0 FROM jurisdictions WHERE code = $1
       UNION ALL
       SELECT j.code, j.level, j.name, j.parent_code, up.depth + 1
         FROM jurisdictions j JOIN up ON j.code = up.parent_code WHERE up.depth < 8)
     SELECT code, level, name FROM up ORDER BY depth`,
    [jurisdictionCode],
  );
}

/**
 * Display name, unit and role of the users who acted in a record. Unscoped on purpose, like
 * the names above: a county officer reading a case sees who at the city reviewed it, though
 * the city's accounts are outside the county's user list. Only names leave, never contacts.
 */
export async function actorNamesOf(
  q: Queryable,
  ids: readonly string[],
): Promise<Record<string, ActorName>> {
  const numeric = [...new Set(ids.filter((id) => /^\d{1,15}$/.test(id)))];
  if (!numeric.length) return {};
  const rows = await q.query<{ id: number; displayName: string; unitName: string; role: string }>(
    `SELECT u.id, u.display_name AS "displayName", j.name AS "unitName", u.role
       FROM users u JOIN jurisdictions j ON j.code = u.jurisdiction_code
      WHERE u.id IN (${numeric.map((_, i) => `$${i + 1}`).join(', ')})`,
    numeric.map(Number),
  );
  return Object.fromEntries(
    rows.map((r) => [
      String(r.id),
      { displayName: r.displayName, unitName: r.unitName, role: r.role },
    ]),
  );
}
