import type { Queryable } from './db.ts';
import type { Scope } from './scope.ts';

/*
 * Bookkeeping writes and counts on stored 图斑 that the period jobs and the imports need:
 * how many there are, which codes are taken, new areas and overlay figures.
 */

/** How many 图斑 of a monitoring period lie in the scope. */
export async function countPeriodPolygons(
  q: Queryable,
  scope: Scope,
  period: string,
): Promise<number> {
  const params: unknown[] = [period];
  const rows = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM polygons WHERE period = $1 AND ${scope.where('jurisdiction_code', params)}`,
    params,
  );
  return rows[0].n;
}

/** How many 图斑 codes start with `prefix` (anywhere: codes are unique across the country). */
export async function countCodesWithPrefix(q: Queryable, prefix: string): Promise<number> {
  const rows = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM polygons WHERE code LIKE $1`,
    [`${prefix}%`],
  );
  return rows[0].n;
}

/** The first `limit` of these codes already stored, so an import can name the duplicates. */
export async function storedPolygonCodes(
  q: Queryable,
  codes: string[],
  limit = 5,
): Promise<string[]> {
  const rows = await q.query<{ code: string }>(
    'SELECT code FROM polygons WHERE code = ANY($1::text[]) LIMIT $2',
    [codes, limit],
  );
  return rows.map((r) => r.code);
}

/** Stores a recomputed ellipsoidal area (m² and 亩) of one 图斑. */
export async function updatePolygonArea(
  q: Queryable,
  id: number,
  areaM2: number,
  areaMu: number,
): Promise<void> {
  await q.query(
    'UPDATE polygons SET area_m2 = $2, area_mu = $3, updated_at = now() WHERE id = $1',
    [id, areaM2, areaMu],
  );
}

/** Merges properties (the overlay figures) into one 图斑 in the scope; other keys stay. */
export async function mergePolygonProperties(
  q: Queryable,
  scope: Scope,
  id: number,
  extra: Record<string, unknown>,
): Promise<void> {
  const params: unknown[] = [id, JSON.stringify(extra)];
  await q.query(
    `UPDATE polygons SET properties = properties || $2::jsonb, updated_at = now() WHERE id = $1 AND ${scope.where('jurisdiction_code', params)}`,
    params,
  );
}
