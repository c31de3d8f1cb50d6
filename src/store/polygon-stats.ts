import type { Queryable } from './db.ts';
import type { Scope } from './scope.ts';
import { col, defineTable, type RecordOf, type Row } from './table.ts';

/**
 * Counts and areas of 图斑 for one (county, period, status, source, verdict) combination. The
 * first five columns are the grouping keys (GROUP BY 1..5 below).
 */
export const STATS = defineTable('polygons', {
  countyCode: col.text('county', 'left(jurisdiction_code, 6)'),
  period: col.text('period'),
  status: col.text('status'),
  source: col.text('source'),
  /** The determination's category (lawful / illegal / other), or 'none' before a verdict. */
  verdict: col.text('verdict', `coalesce(case_state->'determination'->>'category', 'none')`),
  count: col.int('n', 'count(*)::int'),
  // Sums of float8 and numeric: numbers from both drivers, converted again by the reader.
  areaM2: col.float('m2', 'sum(area_m2)'),
  areaMu: col.numeric('mu', 'sum(area_mu)'),
  /** 亩 on farmland from the overlay (case_state.analysis.layerMu.farmland); 0 before analysis. */
  farmlandMu: col.float(
    'farmland_mu',
    `coalesce(sum((case_state->'analysis'->'layerMu'->>'farmland')::float8), 0)`,
  ),
});

export type PolygonStatsRow = RecordOf<typeof STATS.columns>;

/**
 * 图斑 in the scope grouped by county (first six digits of the code), period, status, source
 * and verdict: the one aggregate every dashboard chart is cut from, so the charts always add
 * up. Verdict and farmland 亩 come from the case state (the projection of the record).
 */
export async function polygonStats(q: Queryable, scope: Scope): Promise<PolygonStatsRow[]> {
  const params: unknown[] = [];
  const rows = await q.query<Row>(
    `SELECT ${STATS.select()} FROM polygons WHERE ${scope.where('jurisdiction_code', params)}
      GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`,
    params,
  );
  return rows.map(STATS.read);
}
