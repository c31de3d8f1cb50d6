import type { Queryable } from './db.ts';
import type { Scope } from './scope.ts';

/** Counts and areas of 图斑 for one (county, period, status, source) combination. */
export interface PolygonStatsRow {
  countyCode: string;
  period: string;
  status: string;
  source: string;
  count: number;
  areaM2: number;
  areaMu: number;
}

/**
 * 图斑 in the scope grouped by county (first six digits of the code), period, status and
 * source: the one aggregate every dashboard chart is cut from, so the charts always add up.
 */
export async function polygonStats(q: Queryable, scope: Scope): Promise<PolygonStatsRow[]> {
  const params: unknown[] = [];
  const rows = await q.query<Record<string, unknown>>(
    `SELECT left(jurisdiction_code, 6) AS county, period, status, source, count(*)::int AS n, sum(area_m2) AS m2, sum(area_mu) AS mu
       FROM polygons WHERE ${scope.where('jurisdiction_code', params)}
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
    params,
  );
  return rows.map((r) => ({
    countyCode: r.county as string,
    period: r.period as string,
    status: r.status as string,
    source: r.source as string,
    count: r.n as number,
    areaM2: Number(r.m2),
    areaMu: Number(r.mu),
  }));
}
