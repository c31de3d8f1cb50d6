import type { BBox } from '../geo/types.ts';
import type { Queryable } from './db.ts';
import { bboxOfRow, bboxSelect } from './bulk.ts';
import type { Scope } from './scope.ts';

/** An open 图斑 with a lifecycle deadline that has passed. */
export interface OverduePolygon {
  id: number;
  code: string;
  source: string;
  period: string;
  jurisdictionCode: string;
  status: string;
  bbox: BBox;
  areaM2: number;
  areaMu: number;
  version: number;
  properties: Record<string, unknown>;
  createdAt: Date;
  /** The earliest missed deadline: its kind and when it fell due. */
  deadline: string;
  dueAt: string;
}

/** Filters shared by the queues the server computes. */
export interface QueueFilters {
  period?: string;
  source?: string;
  jurisdictionCode?: string;
  limit?: number;
}

/**
 * 图斑 in the scope whose case state (polygons.case_state, the projection of the record) holds
 * a deadline that is not done and fell due before `now`, earliest first. The clock is passed
 * in, so tests and the deadline scan agree on "now".
 */
export async function listOverdue(
  q: Queryable,
  scope: Scope,
  now: Date,
  filters: QueueFilters = {},
): Promise<OverduePolygon[]> {
  const params: unknown[] = [];
  const where = [scope.where('p.jurisdiction_code', params), `p.status <> 'closed'`];
  if (filters.period) where.push(`p.period = $${params.push(filters.period)}`);
  if (filters.source) where.push(`p.source = $${params.push(filters.source)}`);
  if (filters.jurisdictionCode)
    where.push(`p.jurisdiction_code LIKE $${params.push(`${filters.jurisdictionCode}%`)}`);
  params.push(now.toISOString());
  const nowParam = `$${params.length}::timestamptz`;
  const limit = Math.min(Math.max(filters.limit ?? 1000, 1), 10000);
  const rows = await q.query<Record<string, unknown>>(
    `SELECT p.id, p.code, p.source, p.period, p.jurisdiction_code, p.status, p.area_m2, p.area_mu, p.version, p.properties, p.created_at,
            ${bboxSelect('p.bbox')}, d.kind, d.due_at
       FROM polygons p
       CROSS JOIN LATERAL (
         SELECT x->>'kind' AS kind, x->>'dueAt' AS due_at
           FROM jsonb_array_elements(coalesce(p.case_state->'deadlines', '[]'::jsonb)) x
          WHERE x->>'doneAt' IS NULL AND (x->>'dueAt')::timestamptz < ${nowParam}
          ORDER BY (x->>'dueAt')::timestamptz LIMIT 1) d
      WHERE ${where.join(' AND ')}
      ORDER BY d.due_at, p.id LIMIT ${limit}`,
    params,
  );
  return rows.map((r) => ({
    id: r.id as number,
    code: r.code as string,
    source: r.source as string,
    period: r.period as string,
    jurisdictionCode: r.jurisdiction_code as string,
    status: r.status as string,
    bbox: bboxOfRow(r)!,
    areaM2: r.area_m2 as number,
    areaMu: Number(r.area_mu),
    version: r.version as number,
    properties: (r.properties as Record<string, unknown>) ?? {},
    createdAt: r.created_at as Date,
    deadline: r.kind as string,
    dueAt: r.due_at as string,
  }));
}

/** A 图斑 with its verdict (the determination in its case state). */
export type VerdictPolygon = Omit<OverduePolygon, 'deadline' | 'dueAt'> & { verdict: string };

/**
 * 图斑 in the scope by verdict category (lawful / illegal / other from the determination in
 * the case state, or 'none' before one): the list behind the dashboard's verdict chart.
 */
export async function listByVerdict(
  q: Queryable,
  scope: Scope,
  verdict: string,
  filters: QueueFilters = {},
): Promise<VerdictPolygon[]> {
  const params: unknown[] = [];
  const where = [
    scope.where('jurisdiction_code', params),
    `coalesce(case_state->'determination'->>'category', 'none') = $${params.push(verdict)}`,
  ];
  if (filters.period) where.push(`period = $${params.push(filters.period)}`);
  if (filters.source) where.push(`source = $${params.push(filters.source)}`);
  if (filters.jurisdictionCode)
    where.push(`jurisdiction_code LIKE $${params.push(`${filters.jurisdictionCode}%`)}`);
  const limit = Math.min(Math.max(filters.limit ?? 1000, 1), 10000);
  const rows = await q.query<Record<string, unknown>>(
    `SELECT id, code, source, period, jurisdiction_code, status, area_m2, area_mu, version, properties, created_at, ${bboxSelect()},
            coalesce(case_state->'determination'->>'category', 'none') AS verdict
       FROM polygons WHERE ${where.join(' AND ')} ORDER BY code LIMIT ${limit}`,
    params,
  );
  return rows.map((r) => ({
    id: r.id as number,
    code: r.code as string,
    source: r.source as string,
    period: r.period as string,
    jurisdictionCode: r.jurisdiction_code as string,
    status: r.status as string,
    bbox: bboxOfRow(r)!,
    areaM2: r.area_m2 as number,
    areaMu: Number(r.area_mu),
    version: r.version as number,
    properties: (r.properties as Record<string, unknown>) ?? {},
    createdAt: r.created_at as Date,
    verdict: r.verdict as string,
  }));
}
