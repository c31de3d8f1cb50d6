import type { Queryable } from './db.ts';
import { CASES } from './rows/polygons.ts';
import type { Scope } from './scope.ts';
import type { RecordOf, Row } from './table.ts';

export type YearCase = RecordOf<typeof CASES.columns>;

/**
 * The cases of a year in the scope: 图斑 whose monitoring period falls in `year` (periods are
 * 'YYYY-MM'; src/oversight places a case in its period's year) and whose case is open.
 */
export async function casesOfYear(q: Queryable, scope: Scope, year: number): Promise<YearCase[]> {
  const params: unknown[] = [`${year}-%`];
  const rows = await q.query<Row>(
    `SELECT ${CASES.select()} FROM polygons
      WHERE period LIKE $1 AND case_state IS NOT NULL AND ${scope.where('jurisdiction_code', params)} ORDER BY id`,
    params,
  );
  return rows.map(CASES.read);
}
