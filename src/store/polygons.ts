import { ellipsoidalAreaM2, roundMu, toMu } from '../geo/area.ts';
import { bboxOf } from '../geo/bbox.ts';
import type { Areal, BBox } from '../geo/types.ts';
import type { Queryable } from './db.ts';
import { BBOX_RECORD, BOX_FROM_RECORD, bboxFields, boxOverlaps, insertRows } from './bulk.ts';
import { POLYGONS } from './rows/polygons.ts';
import type { Scope } from './scope.ts';
import type { RecordOf, Row } from './table.ts';
import { rowsTouching } from './touching.ts';

export { POLYGON_SOURCES, type PolygonSource } from '../cases/states.ts';
import type { PolygonSource } from '../cases/states.ts';

/** A 图斑 as the store returns it (declared in rows/polygons.ts). Areas are ellipsoidal (CGCS2000). */
export type PolygonRecord = RecordOf<typeof POLYGONS.columns>;

export interface NewPolygon {
  code: string;
  source: PolygonSource;
  period: string;
  jurisdictionCode: string;
  geometry: Areal;
  status?: string;
  properties?: Record<string, unknown>;
}

const toPolygon = (r: Row): PolygonRecord => POLYGONS.read(r);

export interface PolygonQuery {
  bbox?: BBox;
  period?: string;
  status?: string;
  source?: PolygonSource;
  jurisdictionCode?: string;
  withGeometry?: boolean;
  limit?: number;
  offset?: number;
  /** Keyset paging: only 图斑 with an id above this one (src/store/keyset.ts). */
  afterId?: number;
}

/** 图斑 inside the caller's scope, filtered; at most 10 000 per call (page with offset). */
export async function listPolygons(
  q: Queryable,
  scope: Scope,
  query: PolygonQuery = {},
): Promise<PolygonRecord[]> {
  const params: unknown[] = [];
  const where = polygonConditions(scope, query, params);
  const limit = Math.min(Math.max(query.limit ?? 1000, 1), 10000);
  const offset = Math.max(query.offset ?? 0, 0);
  const rows = await q.query<Row>(
    `SELECT ${POLYGONS.select({ with: query.withGeometry ? ['geometry'] : [] })} FROM polygons WHERE ${where.join(' AND ')} ORDER BY id LIMIT ${limit} OFFSET ${offset}`,
    params,
  );
  return rows.map(toPolygon);
}

/**
 * 图斑 of the periods before `period`, with outlines, whose box overlaps any of `boxes`, inside
 * the scope, by id in batches: the earlier 图斑 套合 links repeats to.
 */
export async function* earlierPolygonsTouching(
  q: Queryable,
  scope: Scope,
  boxes: BBox[],
  period: string,
  batch?: number,
): AsyncGenerator<PolygonRecord[]> {
  const spec = {
    table: 'polygons',
    key: { column: 'id', type: 'int8' as const },
    select: POLYGONS.select({ with: ['geometry'] }),
    where: (params: unknown[]) => [
      scope.where('t.jurisdiction_code', params),
      `t.period < $${params.push(period)}`,
    ],
  };
  for await (const rows of rowsTouching(q, spec, boxes, batch)) yield rows.map(toPolygon);
}

/** How many 图斑 the query's filters match (paging options ignored): one index count. */
export async function countMatching(
  q: Queryable,
  scope: Scope,
  query: PolygonQuery = {},
): Promise<number> {
  const params: unknown[] = [];
  const where = polygonConditions(scope, { ...query, afterId: undefined }, params);
  const rows = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM polygons WHERE ${where.join(' AND ')}`,
    params,
  );
  return rows[0].n;
}

/** The WHERE conditions of a polygon query, pushing their values into `params`. */
function polygonConditions(scope: Scope, query: PolygonQuery, params: unknown[]): string[] {
  const where = [scope.where('jurisdiction_code', params)];
  if (query.jurisdictionCode) {
    params.push(`${query.jurisdictionCode}%`);
    where.push(`jurisdiction_code LIKE $${params.length}`);
  }
  if (query.bbox) where.push(boxOverlaps('bbox', query.bbox, params));
  if (query.period) where.push(`period = $${params.push(query.period)}`);
  if (query.status) where.push(`status = $${params.push(query.status)}`);
  if (query.source) where.push(`source = $${params.push(query.source)}`);
  if (query.afterId !== undefined) where.push(`id > $${params.push(query.afterId)}`);
  return where;
}

export async function countPolygons(q: Queryable, scope: Scope): Promise<number> {
  const params: unknown[] = [];
  const rows = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM polygons WHERE ${scope.where('jurisdiction_code', params)}`,
    params,
  );
  return rows[0].n;
}

/** One 图斑 with geometry; null when absent or outside the scope (no existence leak). */
export async function getPolygon(
  q: Queryable,
  scope: Scope,
  id: number,
): Promise<PolygonRecord | null> {
  const params: unknown[] = [id];
  const rows = await q.query<Row>(
    `SELECT ${POLYGONS.select({ with: ['geometry'] })} FROM polygons WHERE id = $1 AND ${scope.where('jurisdiction_code', params)}`,
    params,
  );
  return rows[0] ? toPolygon(rows[0]) : null;
}

/** Stores 图斑 with their bbox and ellipsoidal area (m² and 亩 to 2 decimals). */
export async function insertPolygons(
  q: Queryable,
  scope: Scope,
  items: NewPolygon[],
): Promise<number[]> {
  for (const p of items) scope.assertCovers(p.jurisdictionCode, `polygon ${p.code}`);
  const rows = items.map((p) => {
    const areaM2 = ellipsoidalAreaM2(p.geometry);
    return {
      code: p.code,
      source: p.source,
      period: p.period,
      jurisdiction_code: p.jurisdictionCode,
      geometry: p.geometry,
      area_m2: areaM2,
      area_mu: roundMu(toMu(areaM2)),
      status: p.status ?? 'found',
      properties: p.properties ?? {},
      ...bboxFields(bboxOf(p.geometry)),
    };
  });
  const ids = await insertRows<{ id: number }>(
    q,
    {
      table: 'polygons',
      record: {
        code: 'text',
        source: 'text',
        period: 'text',
        jurisdiction_code: 'text',
        geometry: 'jsonb',
        area_m2: 'float8',
        area_mu: 'numeric',
        status: 'text',
        properties: 'jsonb',
        ...BBOX_RECORD,
      },
      values: {
        code: 'r.code',
        source: 'r.source',
        period: 'r.period',
        jurisdiction_code: 'r.jurisdiction_code',
        geometry: 'r.geometry',
        area_m2: 'r.area_m2',
        area_mu: 'r.area_mu',
        status: 'r.status',
        properties: 'r.properties',
        bbox: BOX_FROM_RECORD,
      },
      returning: 'id',
    },
    rows,
  );
  return ids.map((r) => r.id);
}
