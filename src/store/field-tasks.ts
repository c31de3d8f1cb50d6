import type { Queryable } from './db.ts';
import { FIELD_TASKS } from './rows/polygons.ts';
import type { Scope } from './scope.ts';
import type { RecordOf, Row } from './table.ts';

/** A 图斑 as a field check needs it (declared in rows/polygons.ts). */
export type FieldTask = RecordOf<typeof FIELD_TASKS.columns>;

const toTask = (r: Row): FieldTask => FIELD_TASKS.read(r);
const COLUMNS = FIELD_TASKS.select();

/** 图斑 waiting for a field check in the scope (pushed, or returned for correction). */
export async function fieldTasks(
  q: Queryable,
  scope: Scope,
  limit: number,
  afterId?: number,
): Promise<FieldTask[]> {
  const params: unknown[] = [];
  const where = [`status IN ('pushed', 'returned')`, scope.where('jurisdiction_code', params)];
  if (afterId !== undefined) where.push(`id > $${params.push(afterId)}`);
  const rows = await q.query<Row>(
    `SELECT ${COLUMNS} FROM polygons WHERE ${where.join(' AND ')} ORDER BY id LIMIT ${Math.max(1, Math.floor(limit))}`,
    params,
  );
  return rows.map(toTask);
}

/** One 图斑 with geometry and case state, inside the scope. */
export async function fieldTask(q: Queryable, scope: Scope, id: number): Promise<FieldTask | null> {
  const params: unknown[] = [id];
  const rows = await q.query<Row>(
    `SELECT ${COLUMNS} FROM polygons WHERE id = $1 AND ${scope.where('jurisdiction_code', params)}`,
    params,
  );
  return rows[0] ? toTask(rows[0]) : null;
}
