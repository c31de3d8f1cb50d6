import { ellipsoidalAreaM2 } from '../geo/area.ts';
import { bboxOf } from '../geo/bbox.ts';
import type { Areal, BBox } from '../geo/types.ts';
import type { Queryable } from './db.ts';
import { BBOX_RECORD, BOX_FROM_RECORD, bboxFields, boxOverlaps, insertRows } from './bulk.ts';
import type { JurisdictionLevel } from '../grid/index.ts';
import { JURISDICTIONS } from './rows/jurisdictions.ts';
import type { Scope } from './scope.ts';
import type { RecordOf, Row } from './table.ts';
import { rowsTouching } from './touching.ts';

export type Jurisdiction = RecordOf<typeof JURISDICTIONS.columns>;

export type NewJurisdiction = Omit<Jurisdiction, 'bbox' | 'areaM2'> & { geometry: Areal | null };

const toJurisdiction = (r: Row): Jurisdiction => JURISDICTIONS.read(r);

export interface JurisdictionQuery {
  level?: JurisdictionLevel;
  parentCode?: string;
  bbox?: BBox;
  withGeometry?: boolean;
  limit?: number;
  /** Only codes after this one (keyset pages in code order). */
  afterCode?: string;
}

/** Jurisdictions inside the caller's scope in code order, optionally by level, parent or box. */
export async function listJurisdictions(
  q: Queryable,
  scope: Scope,
  query: JurisdictionQuery = {},
): Promise<Jurisdiction[]> {
  const params: unknown[] = [];
  const where = [scope.where('code', params)];
  if (query.level) where.push(`level = $${params.push(query.level)}`);
  if (query.parentCode) where.push(`parent_code = $${params.push(query.parentCode)}`);
  if (query.bbox) where.push(boxOverlaps('bbox', query.bbox, params));
  if (query.afterCode !== undefined) where.push(`code > $${params.push(query.afterCode)}`);
  const limit = Math.min(query.limit ?? 5000, 5000);
  const rows = await q.query<Row>(
    `SELECT ${JURISDICTIONS.select({ with: query.withGeometry ? ['geometry'] : [] })} FROM jurisdictions WHERE ${where.join(' AND ')} ORDER BY code LIMIT ${limit}`,
    params,
  );
  return rows.map(toJurisdiction);
}

/**
 * Jurisdictions of a level, with outlines, whose box overlaps any of `boxes`, inside the scope,
 * in code order and in batches (the villages 套合 assigns a period's 图斑 to).
 */
export async function* jurisdictionsTouching(
  q: Queryable,
  scope: Scope,
  boxes: BBox[],
  level: JurisdictionLevel,
  batch?: number,
): AsyncGenerator<Jurisdiction[]> {
  const spec = {
    table: 'jurisdictions',
    key: { column: 'code', type: 'text' as const },
    select: JURISDICTIONS.select({ with: ['geometry'] }),
    where: (params: unknown[]) => [
      scope.where('t.code', params),
      `t.level = $${params.push(level)}`,
    ],
  };
  for await (const rows of rowsTouching(q, spec, boxes, batch)) yield rows.map(toJurisdiction);
}

/** One jurisdiction with its geometry, or null when absent or outside the scope. */
export async function getJurisdiction(
  q: Queryable,
  scope: Scope,
  code: string,
): Promise<Jurisdiction | null> {
  const params: unknown[] = [code];
  const rows = await q.query<Row>(
    `SELECT ${JURISDICTIONS.select({ with: ['geometry'] })} FROM jurisdictions WHERE code = $1 AND ${scope.where('code', params)}`,
    params,
  );
  return rows[0] ? toJurisdiction(rows[0]) : null;
}

/** Inserts jurisdictions, parents first, computing bbox and ellipsoidal area. */
export async function insertJurisdictions(
  q: Queryable,
  scope: Scope,
  items: NewJurisdiction[],
): Promise<number> {
  for (const j of items) scope.assertCovers(j.code, `jurisdiction ${j.name}`);
  const rows = items.map((j) => ({
    code: j.code,
    level: j.level,
    parent_code: j.parentCode,
    name: j.name,
    geometry: j.geometry,
    area_m2: j.geometry ? ellipsoidalAreaM2(j.geometry) : null,
    meta: j.meta,
    ...bboxFields(j.geometry ? bboxOf(j.geometry) : null),
  }));
  await insertRows(
    q,
    {
      table: 'jurisdictions',
      record: {
        code: 'text',
        level: 'text',
        parent_code: 'text',
        name: 'text',
        geometry: 'jsonb',
        area_m2: 'float8',
        meta: 'jsonb',
        ...BBOX_RECORD,
      },
      values: {
        code: 'r.code',
        level: 'r.level',
        parent_code: 'r.parent_code',
        name: 'r.name',
        geometry: 'r.geometry',
        area_m2: 'r.area_m2',
        meta: 'r.meta',
        bbox: `CASE WHEN r.minx IS NULL THEN NULL ELSE ${BOX_FROM_RECORD} END`,
      },
      batch: 500,
    },
    rows,
  );
  return rows.length;
}

/** The level of a code, for resolving a user's scope. */
export async function jurisdictionLevel(
  q: Queryable,
  code: string,
): Promise<JurisdictionLevel | null> {
  const rows = await q.query<{ level: JurisdictionLevel }>(
    'SELECT level FROM jurisdictions WHERE code = $1',
    [code],
  );
  return rows[0]?.level ?? null;
}

/** How many jurisdictions are stored (none: a fresh install, which the demo may fill). */
export async function countJurisdictions(q: Queryable): Promise<number> {
  const [{ n }] = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM jurisdictions');
  return n;
}
