import type { Queryable } from './db.ts';
import type { Scope } from './scope.ts';

/**
 * The box around every 图斑 in scope (null when there is none): where a map should open. A
 * province's jurisdiction is far larger than the counties that have work in it, and a map
 * opened on the whole province shows the 图斑 as specks.
 */
export async function polygonExtent(
  q: Queryable,
  scope: Scope,
): Promise<{ bbox: [number, number, number, number] | null; count: number }> {
  const params: unknown[] = [];
  const rows = await q.query<{
    n: number;
    x0: number | null;
    y0: number | null;
    x1: number | null;
    y1: number | null;
  }>(
    `SELECT count(*)::int AS n, min((bbox[1])[0]) AS x0, min((bbox[1])[1]) AS y0, max((bbox[0])[0]) AS x1, max((bbox[0])[1]) AS y1
       FROM polygons WHERE ${scope.where('jurisdiction_code', params)}`,
    params,
  );
  const r = rows[0];
  if (!r.n || r.x0 == null || r.y0 == null || r.x1 == null || r.y1 == null)
    return { bbox: null, count: 0 };
  return { bbox: [Number(r.x0), Number(r.y0), Number(r.x1), Number(r.y1)], count: r.n };
}
