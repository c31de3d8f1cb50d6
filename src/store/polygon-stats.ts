import type { Queryable } from './db.ts';
import type { Scope } from './scope.ts';

/** Counts and areas of 图斑 for one (county, period, status, source, verdict) combination. */
export interface PolygonStatsRow {
  countyCode: string;
  period: string;
  status: string;
  source: string;
  /** The determination's category (lawful / illegal / other), or 'none' before a verdict. */
  verdict: string;
  count: number;
  areaM2: number;
  areaMu: number;
  /** 亩 on farmland from the overlay (case_state.analysis.layerMu.farmland); 0 before analysis. */
  farmlandMu: number;
}

/**
 * 图斑 in the scope grouped by county (first six digits of the code), period, status, source
 * and verdict: the one aggregate every dashboard chart is cut from, so the charts always add
 * up. Verdict and farmland 亩 come from the case state (the projection of the record).
 */
export async function polygonStats(q: Queryable, scope: Scope): Promise<PolygonStatsRow[]> {
  const params: unknown[] = [];
  const rows = await q.query<Record<string, unknown>>(
    `SELECT left(jurisdiction_code, 6) AS county, period, status, source,
            coalesce(case_state->'determination'->>'category', 'none') AS verdict,
            count(*)::int AS n, sum(area_m2) AS m2, sum(area_mu) AS mu,
            coalesce(sum((case_state->'analysis'->'layerMu'->>'farmland')::float8), 0) AS farmland_mu
       FROM polygons WHERE ${scope.where('jurisdiction_code', params)}
      GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`,
    params,
  );
  return rows.map((r) => ({
    countyCode: r.county as string,
    period: r.period as string,
    status: r.status as string,
    source: r.source as string,
    verdict: r.verdict as string,
    count: r.n as number,
    areaM2: Number(r.m2),
    areaMu: Number(r.mu),
    farmlandMu: Number(r.farmland_mu),
  }));
}
