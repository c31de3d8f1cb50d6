import type { BBox } from '../geo/types.ts';
import type { JurisdictionLevel } from '../grid/index.ts';
import { boxOverlaps } from './bulk.ts';
import type { Queryable } from './db.ts';
import type { LayerKind } from './reference.ts';
import type { Scope } from './scope.ts';

/**
 * What a map tile draws of one row: the outline as the GeoJSON text the database holds (parsed
 * where the tile is encoded, on the tile thread — not on the thread that answers requests) and
 * the few fields the map styles and filters by.
 */
export interface TileRow<F> {
  geometry: string;
  fields: F;
}

/**
 * The scope as a condition the planner cannot serve from the code-prefix index. A tile's box
 * picks a few hundred rows through the box index; with `LIKE 'prefix%'` PostgreSQL also read
 * the prefix index and ANDed the bitmaps — ~20,000 entries of a county's farmland for every
 * tile, 2–3× the cost of the whole query (issue 25, BENCHMARKS.md "Map tiles under load").
 * `left(code, n) = prefix` keeps exactly `Scope.where`'s rule: the code starts with the prefix.
 */
function scopedByBox(scope: Scope, column: string, params: unknown[]): string {
  params.push(scope.prefix.length, scope.prefix);
  return `left(${column}, $${params.length - 1}) = $${params.length}`;
}

export interface PolygonTileFields {
  id: number;
  code: string;
  status: string;
  period: string;
  source: string;
  areaMu: number;
}

/**
 * 图斑 whose box overlaps `bbox`, by id. `asPoints`: the box centre as a GeoJSON point instead
 * of the outline (a 图斑 is under a pixel at low zooms; its outline would not be read at all).
 */
export async function polygonTileRows(
  q: Queryable,
  scope: Scope,
  bbox: BBox,
  opts: { asPoints: boolean; limit: number },
): Promise<TileRow<PolygonTileFields>[]> {
  const params: unknown[] = [];
  const where = [
    boxOverlaps('bbox', bbox, params),
    scopedByBox(scope, 'jurisdiction_code', params),
  ];
  const shape = opts.asPoints
    ? '((bbox[0])[0] + (bbox[1])[0]) / 2 AS cx, ((bbox[0])[1] + (bbox[1])[1]) / 2 AS cy'
    : 'geometry::text AS geometry';
  const rows = await q.query<PolygonTileFields & { geometry?: string; cx?: number; cy?: number }>(
    `SELECT id, code, status, period, source, area_mu AS "areaMu", ${shape}
       FROM polygons WHERE ${where.join(' AND ')} ORDER BY id LIMIT ${opts.limit}`,
    params,
  );
  return rows.map(({ geometry, cx, cy, ...f }) => ({
    geometry: geometry ?? JSON.stringify({ type: 'Point', coordinates: [cx, cy] }),
    fields: { ...f, areaMu: Number(f.areaMu) },
  }));
}

export interface ReferenceTileFields {
  id: number;
  kind: string;
  jurisdictionCode: string;
  areaM2: number;
}

/** Reference features of one kind whose box overlaps `bbox`, by id. */
export async function referenceTileRows(
  q: Queryable,
  scope: Scope,
  kind: LayerKind,
  bbox: BBox,
  limit: number,
): Promise<TileRow<ReferenceTileFields>[]> {
  const params: unknown[] = [];
  const where = [
    boxOverlaps('bbox', bbox, params),
    `kind = $${params.push(kind)}`,
    scopedByBox(scope, 'jurisdiction_code', params),
  ];
  const rows = await q.query<ReferenceTileFields & { geometry: string }>(
    `SELECT id, kind, jurisdiction_code AS "jurisdictionCode", area_m2 AS "areaM2", geometry::text AS geometry
       FROM reference_features WHERE ${where.join(' AND ')} ORDER BY id LIMIT ${limit}`,
    params,
  );
  return rows.map(({ geometry, ...fields }) => ({ geometry, fields }));
}

export interface JurisdictionTileFields {
  code: string;
  name: string;
  level: string;
}

/** Units of one level with an outline whose box overlaps `bbox`, by code. */
export async function jurisdictionTileRows(
  q: Queryable,
  scope: Scope,
  level: JurisdictionLevel,
  bbox: BBox,
  limit: number,
): Promise<TileRow<JurisdictionTileFields>[]> {
  const params: unknown[] = [];
  const where = [
    boxOverlaps('bbox', bbox, params),
    `level = $${params.push(level)}`,
    'geometry IS NOT NULL',
    scopedByBox(scope, 'code', params),
  ];
  const rows = await q.query<JurisdictionTileFields & { geometry: string }>(
    `SELECT code, name, level, geometry::text AS geometry
       FROM jurisdictions WHERE ${where.join(' AND ')} ORDER BY code LIMIT ${limit}`,
    params,
  );
  return rows.map(({ geometry, ...fields }) => ({ geometry, fields }));
}
