import type { PolygonCaseState } from '../cases/index.ts';
import type { Queryable } from './db.ts';
import type { Scope } from './scope.ts';

/**
 * What the 图斑 dossier reads besides the polygon and its record: the polygon's id from its
 * code, the names of the units above its village, and who acted in its record.
 */

/** The id of the 图斑 with this code inside the scope, or null. */
export async function polygonIdByCode(
  q: Queryable,
  scope: Scope,
  code: string,
): Promise<number | null> {
  const params: unknown[] = [code];
  const rows = await q.query<{ id: number }>(
    `SELECT id FROM polygons WHERE code = $1 AND ${scope.where('jurisdiction_code', params)}`,
    params,
  );
  return rows[0] ? Number(rows[0].id) : null;
}

/**
 * The unit of `code` and every unit above it (village, township, county, city, province),
 * finest first. Names of units above the caller's own are public (GB/T 2260), so unscoped.
 */
export async function unitChainOf(
  q: Queryable,
  code: string,
): Promise<{ code: string; level: string; name: string }[]> {
  return q.query(
    `WITH RECURSIVE up(code, level, name, parent_code, depth) AS (
       SELECT code, level, name, parent_code, 0 FROM jurisdictions WHERE code = $1
       UNION ALL
       SELECT j.code, j.level, j.name, j.parent_code, up.depth + 1
         FROM jurisdictions j JOIN up ON j.code = up.parent_code WHERE up.depth < 8)
     SELECT code, level, name FROM up ORDER BY depth`,
    [code],
  );
}

/**
 * Display names and units of the users who acted in a record, by users.id as text. Unscoped
 * like the units above: a county reads who at the city reviewed its case; only names leave.
 */
export async function actorLabelsOf(
  q: Queryable,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const numeric = [...new Set(ids.filter((id) => /^\d{1,15}$/.test(id)))].map(Number);
  if (!numeric.length) return new Map();
  const rows = await q.query<{ id: number; display_name: string; unit: string }>(
    `SELECT u.id, u.display_name, j.name AS unit FROM users u JOIN jurisdictions j ON j.code = u.jurisdiction_code WHERE u.id = ANY($1::int[])`,
    [numeric],
  );
  return new Map(rows.map((r) => [String(r.id), `${r.display_name}（${r.unit}）`]));
}

/** The case state of a 图斑 in the scope (the projection of its record), or null. */
export async function caseStateOf(
  q: Queryable,
  scope: Scope,
  id: number,
): Promise<PolygonCaseState | null> {
  const params: unknown[] = [id];
  const rows = await q.query<{ case_state: PolygonCaseState | null }>(
    `SELECT case_state FROM polygons WHERE id = $1 AND ${scope.where('jurisdiction_code', params)}`,
    params,
  );
  return rows[0]?.case_state ?? null;
}
