import type { BBox } from '../geo/types.ts';
import type { JurisdictionLevel } from '../grid/index.ts';
import type { Queryable } from './db.ts';
import { boxOverlaps } from './bulk.ts';
import { JURISDICTIONS } from './rows/jurisdictions.ts';
import { REFERENCE_FEATURES } from './rows/reference.ts';
import type { LayerKind } from './reference.ts';
import type { Scope } from './scope.ts';
import { col, type RecordOf, type Row } from './table.ts';
import { BY_VERDICT } from './work-queues.ts';

/*
 * Feature pages for the OGC API – Features edge: 图斑, reference features and jurisdictions
 * in the caller's scope, in a stable order (id, or code for jurisdictions) and paged by key,
 * so a client following `next` links never sees a feature twice or misses one when rows are
 * added meanwhile; each page comes with the number of all matching features (numberMatched).
 */

/** One page: `limit` records at most, and whether more follow. */
export interface KeysetPage<T> {
  items: T[];
  more: boolean;
  matched: number;
}

export const OGC_POLYGONS = BY_VERDICT;
export type OgcPolygonRecord = RecordOf<typeof OGC_POLYGONS.columns>;

export const OGC_REFERENCE = REFERENCE_FEATURES.extend({
  layerName: col.text('layer_name', 'l.name'),
});
export type OgcReferenceRecord = RecordOf<typeof OGC_REFERENCE.columns>;

export type OgcJurisdictionRecord = RecordOf<typeof JURISDICTIONS.columns>;

export interface PolygonFilter {
  bbox?: BBox;
  period?: string;
  /** Periods from … to (YYYY-MM, inclusive): the months a datetime interval touches. */
  periodFrom?: string;
  periodTo?: string;
  status?: string;
  source?: string;
}

export interface PageRequest<K> {
  /** Only records after this key (the last one of the previous page). */
  after?: K;
  limit: number;
}

async function page<T>(
  q: Queryable,
  sql: { select: string; from: string; where: string[]; key: string },
  params: unknown[],
  afterIndex: number | null,
  limit: number,
  read: (r: Row) => T,
): Promise<KeysetPage<T>> {
  const where = sql.where.join(' AND ');
  const keyed = afterIndex === null ? where : `${where} AND ${sql.key} > $${afterIndex}`;
  // The count runs without the key condition: it is the size of the whole result set.
  const countParams = afterIndex === null ? params : params.slice(0, afterIndex - 1);
  const [rows, [{ n }]] = await Promise.all([
    q.query<Row>(
      `SELECT ${sql.select} FROM ${sql.from} WHERE ${keyed} ORDER BY ${sql.key} LIMIT ${limit + 1}`,
      params,
    ),
    q.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${sql.from} WHERE ${where}`,
      countParams,
    ),
  ]);
  return { items: rows.slice(0, limit).map(read), more: rows.length > limit, matched: Number(n) };
}

/** 图斑 with outline and verdict, by id. */
export function polygonPage(
  q: Queryable,
  scope: Scope,
  f: PolygonFilter,
  p: PageRequest<number>,
): Promise<KeysetPage<OgcPolygonRecord>> {
  const params: unknown[] = [];
  const where = [scope.where('p.jurisdiction_code', params)];
  if (f.bbox) where.push(boxOverlaps('p.bbox', f.bbox, params));
  if (f.period) where.push(`p.period = $${params.push(f.period)}`);
  if (f.periodFrom) where.push(`p.period >= $${params.push(f.periodFrom)}`);
  if (f.periodTo) where.push(`p.period <= $${params.push(f.periodTo)}`);
  if (f.status) where.push(`p.status = $${params.push(f.status)}`);
  if (f.source) where.push(`p.source = $${params.push(f.source)}`);
  // The key goes last so that the count can drop it.
  const afterIndex = p.after === undefined ? null : params.push(p.after);
  return page(
    q,
    {
      select: OGC_POLYGONS.select({ alias: 'p', with: ['geometry'] }),
      from: 'polygons p',
      where,
      key: 'p.id',
    },
    params,
    afterIndex,
    p.limit,
    OGC_POLYGONS.read,
  );
}

/** Reference features of one kind with their layer's name, by id. */
export function referencePage(
  q: Queryable,
  scope: Scope,
  kind: LayerKind,
  f: { bbox?: BBox },
  p: PageRequest<number>,
): Promise<KeysetPage<OgcReferenceRecord>> {
  const params: unknown[] = [];
  const where = [scope.where('f.jurisdiction_code', params), `f.kind = $${params.push(kind)}`];
  if (f.bbox) where.push(boxOverlaps('f.bbox', f.bbox, params));
  const afterIndex = p.after === undefined ? null : params.push(p.after);
  return page(
    q,
    {
      select: OGC_REFERENCE.select({ alias: 'f', with: ['geometry'] }),
      from: 'reference_features f JOIN reference_layers l ON l.id = f.layer_id',
      where,
      key: 'f.id',
    },
    params,
    afterIndex,
    p.limit,
    OGC_REFERENCE.read,
  );
}

/** Jurisdictions of one level with their outlines, by code. */
export function jurisdictionPage(
  q: Queryable,
  scope: Scope,
  level: JurisdictionLevel,
  f: { bbox?: BBox },
  p: PageRequest<string>,
): Promise<KeysetPage<OgcJurisdictionRecord>> {
  const params: unknown[] = [];
  const where = [scope.where('j.code', params), `j.level = $${params.push(level)}`];
  if (f.bbox) where.push(boxOverlaps('j.bbox', f.bbox, params));
  const afterIndex = p.after === undefined ? null : params.push(p.after);
  return page(
    q,
    {
      select: JURISDICTIONS.select({ alias: 'j', with: ['geometry'] }),
      from: 'jurisdictions j',
      where,
      key: 'j.code',
    },
    params,
    afterIndex,
    p.limit,
    JURISDICTIONS.read,
  );
}

/** The extent and size of a group of features (a period, a layer kind, a level). */
export interface GroupExtent<G extends string> {
  group: G;
  count: number;
  /** [minLon, minLat, maxLon, maxLat]; null when no feature of the group has an outline. */
  bbox: BBox | null;
}

const EXTENT = (c: string) =>
  `count(*)::int AS n, min((${c}[1])[0]) AS minx, min((${c}[1])[1]) AS miny, max((${c}[0])[0]) AS maxx, max((${c}[0])[1]) AS maxy`;

function toExtent<G extends string>(r: Row): GroupExtent<G> {
  const bbox =
    r.minx == null
      ? null
      : ([Number(r.minx), Number(r.miny), Number(r.maxx), Number(r.maxy)] as BBox);
  return { group: String(r.g) as G, count: Number(r.n), bbox };
}

/** 图斑 per period in the scope, with their extents: the per-period collections. */
export async function polygonExtents(q: Queryable, scope: Scope): Promise<GroupExtent<string>[]> {
  const params: unknown[] = [];
  const rows = await q.query<Row>(
    `SELECT period AS g, ${EXTENT('bbox')} FROM polygons WHERE ${scope.where('jurisdiction_code', params)} GROUP BY period ORDER BY period`,
    params,
  );
  return rows.map((r) => toExtent<string>(r));
}

/** Reference features per layer kind in the scope, with their extents. */
export async function referenceExtents(
  q: Queryable,
  scope: Scope,
): Promise<GroupExtent<LayerKind>[]> {
  const params: unknown[] = [];
  const rows = await q.query<Row>(
    `SELECT kind AS g, ${EXTENT('bbox')} FROM reference_features WHERE ${scope.where('jurisdiction_code', params)} GROUP BY kind ORDER BY kind`,
    params,
  );
  return rows.map((r) => toExtent<LayerKind>(r));
}

/** Jurisdictions per level in the scope, with their extents. */
export async function jurisdictionExtents(
  q: Queryable,
  scope: Scope,
): Promise<GroupExtent<JurisdictionLevel>[]> {
  const params: unknown[] = [];
  const rows = await q.query<Row>(
    `SELECT level AS g, ${EXTENT('bbox')} FROM jurisdictions WHERE ${scope.where('code', params)} GROUP BY level`,
    params,
  );
  return rows.map((r) => toExtent<JurisdictionLevel>(r));
}

/** One reference feature of a kind, or null when absent, of another kind or outside the scope. */
export async function getReferenceFeature(
  q: Queryable,
  scope: Scope,
  kind: LayerKind,
  id: number,
): Promise<OgcReferenceRecord | null> {
  const params: unknown[] = [id, kind];
  const rows = await q.query<Row>(
    `SELECT ${OGC_REFERENCE.select({ alias: 'f', with: ['geometry'] })} FROM reference_features f JOIN reference_layers l ON l.id = f.layer_id WHERE f.id = $1 AND f.kind = $2 AND ${scope.where('f.jurisdiction_code', params)}`,
    params,
  );
  return rows[0] ? OGC_REFERENCE.read(rows[0]) : null;
}

/** One 图斑 with outline and verdict, or null when absent or outside the scope. */
export async function getOgcPolygon(
  q: Queryable,
  scope: Scope,
  id: number,
): Promise<OgcPolygonRecord | null> {
  const params: unknown[] = [id];
  const rows = await q.query<Row>(
    `SELECT ${OGC_POLYGONS.select({ alias: 'p', with: ['geometry'] })} FROM polygons p WHERE p.id = $1 AND ${scope.where('p.jurisdiction_code', params)}`,
    params,
  );
  return rows[0] ? OGC_POLYGONS.read(rows[0]) : null;
}
