import type { PolygonCaseState } from '../cases/index.ts';
import type { Areal, BBox } from '../geo/types.ts';
import { bboxOfRow, bboxSelect } from './bulk.ts';
import type { Queryable } from './db.ts';
import type { Scope } from './scope.ts';

export interface FieldTask {
  id: number;
  code: string;
  source: string;
  period: string;
  jurisdictionCode: string;
  status: string;
  version: number;
  areaMu: number;
  bbox: BBox;
  geometry: Areal;
  properties: Record<string, unknown>;
  state: PolygonCaseState | null;
}

function toTask(r: Record<string, unknown>): FieldTask {
  return {
    id: r.id as number,
    code: r.code as string,
    source: r.source as string,
    period: r.period as string,
    jurisdictionCode: r.jurisdiction_code as string,
    status: r.status as string,
    version: r.version as number,
    areaMu: r.area_mu as number,
    bbox: bboxOfRow(r)!,
    geometry: r.geometry as Areal,
    properties: (r.properties as Record<string, unknown>) ?? {},
    state: (r.case_state as PolygonCaseState) ?? null,
  };
}

const COLUMNS = `id, code, source, period, jurisdiction_code, status, version, area_mu, geometry, properties, case_state, ${bboxSelect()}`;

/** 图斑 waiting for a field check in the scope (pushed, or returned for correction). */
export async function fieldTasks(q: Queryable, scope: Scope): Promise<FieldTask[]> {
  const params: unknown[] = [];
  const rows = await q.query<Record<string, unknown>>(
    `SELECT ${COLUMNS} FROM polygons WHERE status IN ('pushed', 'returned') AND ${scope.where('jurisdiction_code', params)} ORDER BY id LIMIT 2000`,
    params,
  );
  return rows.map(toTask);
}

/** One 图斑 with geometry and case state, inside the scope. */
export async function fieldTask(q: Queryable, scope: Scope, id: number): Promise<FieldTask | null> {
  const params: unknown[] = [id];
  const rows = await q.query<Record<string, unknown>>(
    `SELECT ${COLUMNS} FROM polygons WHERE id = $1 AND ${scope.where('jurisdiction_code', params)}`,
    params,
  );
  return rows[0] ? toTask(rows[0]) : null;
}
