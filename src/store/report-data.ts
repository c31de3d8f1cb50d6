import type { Queryable } from './db.ts';
import { CASES } from './rows/polygons.ts';
import type { Scope } from './scope.ts';
import type { RecordOf, Row } from './table.ts';

/** A 图斑 as the statistical report reads it: figures, source, status and case state. */
export type ReportCaseRow = RecordOf<typeof CASES.columns>;

/**
 * The 图斑 of some monitoring periods under a unit (its code prefix), inside the caller's scope,
 * with their case states: what src/reports counts. Periods are 'YYYY-MM'.
 */
export async function casesOfPeriods(
  q: Queryable,
  scope: Scope,
  unitPrefix: string,
  periods: readonly string[],
): Promise<ReportCaseRow[]> {
  const params: unknown[] = [[...periods], `${unitPrefix}%`];
  const rows = await q.query<Row>(
    `SELECT ${CASES.select()} FROM polygons
      WHERE period = ANY($1::text[]) AND jurisdiction_code LIKE $2 AND ${scope.where('jurisdiction_code', params)}
      ORDER BY id`,
    params,
  );
  return rows.map(CASES.read);
}
