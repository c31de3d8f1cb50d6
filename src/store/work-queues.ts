import type { Queryable } from './db.ts';
import type { PolygonRecord } from './polygons.ts';
import { POLYGONS } from './rows/polygons.ts';
import type { Scope } from './scope.ts';
import { after, type KeyValue } from './keyset.ts';
import { col, type Row } from './table.ts';

/**
 * Work queues the server computes from each 图斑's case state (the projection of its record):
 * overdue (a missed lifecycle deadline) and by verdict. Queues that are a plain status filter
 * go through `listPolygons`.
 */

/** A 图斑 as a work-queue row: the store's polygon record. */
export type QueuePolygon = PolygonRecord;

/** An open 图斑 with a lifecycle deadline that has passed: the earliest missed one. */
export type OverduePolygon = QueuePolygon & { deadline: string; dueAt: string };
/** A 图斑 with its verdict: the determination's category, or 'none' before one. */
export type VerdictPolygon = QueuePolygon & { verdict: string };

/** Filters shared by the queues. */
export interface QueueFilters {
  period?: string;
  source?: string;
  jurisdictionCode?: string;
  limit?: number;
  /** Keyset paging: the key of the last row of the previous page (src/store/keyset.ts). */
  after?: KeyValue[];
}

const VERDICT = `coalesce(p.case_state->'determination'->>'category', 'none')`;
/** The polygon row plus the deadline the lateral join below picks (alias d). */
export const OVERDUE = POLYGONS.extend({
  deadline: col.text('kind', 'd.kind'),
  dueAt: col.text('due_at', 'd.due_at'),
});
export const BY_VERDICT = POLYGONS.extend({ verdict: col.text('verdict', VERDICT) });

/** The WHERE conditions of the scope and the filters, pushing their values into `params`. */
function conditions(scope: Scope, f: QueueFilters, params: unknown[]): string[] {
  const where = [scope.where('p.jurisdiction_code', params)];
  if (f.period) where.push(`p.period = $${params.push(f.period)}`);
  if (f.source) where.push(`p.source = $${params.push(f.source)}`);
  if (f.jurisdictionCode)
    where.push(`p.jurisdiction_code LIKE $${params.push(`${f.jurisdictionCode}%`)}`);
  return where;
}

const limitOf = (f: QueueFilters) => Math.min(Math.max(f.limit ?? 1000, 1), 10000);

/**
 * 图斑 in the scope whose case state holds a deadline that is not done and fell due before
 * `now`, earliest first. The clock is passed in, so tests and the deadline scan agree on "now".
 */
export async function listOverdue(
  q: Queryable,
  scope: Scope,
  now: Date,
  filters: QueueFilters = {},
): Promise<OverduePolygon[]> {
  const params: unknown[] = [];
  const rows = await q.query<Row>(
    `SELECT ${OVERDUE.select({ alias: 'p' })} ${overdueFrom(scope, now, filters, params)}
      ORDER BY d.due_at, p.id LIMIT ${limitOf(filters)}`,
    params,
  );
  return rows.map(OVERDUE.read);
}

/** How many 图斑 the overdue queue holds with these filters (paging ignored). */
export async function countOverdue(
  q: Queryable,
  scope: Scope,
  now: Date,
  filters: QueueFilters = {},
): Promise<number> {
  const params: unknown[] = [];
  const rows = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n ${overdueFrom(scope, now, { ...filters, after: undefined }, params)}`,
    params,
  );
  return rows[0].n;
}

/** FROM and WHERE of the overdue queue: each open 图斑 joined to its earliest missed deadline (d). */
function overdueFrom(scope: Scope, now: Date, filters: QueueFilters, params: unknown[]): string {
  const where = [...conditions(scope, filters, params), `p.status <> 'closed'`];
  const at = `$${params.push(now.toISOString())}::timestamptz`;
  if (filters.after)
    where.push(after(['d.due_at', 'p.id'], filters.after, params, { casts: ['text', 'int'] }));
  return `FROM polygons p
       CROSS JOIN LATERAL (
         SELECT x->>'kind' AS kind, x->>'dueAt' AS due_at
           FROM jsonb_array_elements(coalesce(p.case_state->'deadlines', '[]'::jsonb)) x
          WHERE x->>'doneAt' IS NULL AND (x->>'dueAt')::timestamptz < ${at}
          ORDER BY (x->>'dueAt')::timestamptz LIMIT 1) d
      WHERE ${where.join(' AND ')}`;
}

/**
 * 图斑 in the scope by verdict category (lawful / illegal / other, or 'none' before a
 * verdict): the list behind the dashboard's verdict chart and the queue's verdict filter.
 */
export async function listByVerdict(
  q: Queryable,
  scope: Scope,
  verdict: string,
  filters: QueueFilters = {},
): Promise<VerdictPolygon[]> {
  const params: unknown[] = [];
  const where = verdictConditions(scope, verdict, filters, params);
  const rows = await q.query<Row>(
    `SELECT ${BY_VERDICT.select({ alias: 'p' })} FROM polygons p WHERE ${where.join(' AND ')} ORDER BY p.code, p.id LIMIT ${limitOf(filters)}`,
    params,
  );
  return rows.map(BY_VERDICT.read);
}

/** How many 图斑 have this verdict with these filters (paging ignored). */
export async function countByVerdict(
  q: Queryable,
  scope: Scope,
  verdict: string,
  filters: QueueFilters = {},
): Promise<number> {
  const params: unknown[] = [];
  const where = verdictConditions(scope, verdict, { ...filters, after: undefined }, params);
  const rows = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM polygons p WHERE ${where.join(' AND ')}`,
    params,
  );
  return rows[0].n;
}

function verdictConditions(
  scope: Scope,
  verdict: string,
  filters: QueueFilters,
  params: unknown[],
): string[] {
  const where = [...conditions(scope, filters, params), `${VERDICT} = $${params.push(verdict)}`];
  if (filters.after)
    where.push(after(['p.code', 'p.id'], filters.after, params, { casts: ['text', 'int'] }));
  return where;
}
