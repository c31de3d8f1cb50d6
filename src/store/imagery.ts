import type { BBox } from '../geo/types.ts';
import type { Queryable } from './db.ts';
import { after, type KeyValue } from './keyset.ts';
import { IMAGERY } from './rows/imagery.ts';
import type { Scope } from './scope.ts';
import type { RecordOf, Row } from './table.ts';

/** A stored image (scene) over part of the region; `uri` is a local path or URL to a GeoTIFF/COG. */
export type ImageryRecord = RecordOf<typeof IMAGERY.columns>;

const toImagery = (r: Row): ImageryRecord => IMAGERY.read(r);
const COLUMNS = IMAGERY.select();

/**
 * Imagery whose jurisdiction lies in the scope, oldest acquisition first (undated last), a
 * page of `limit` after `afterKey` (the last row's `imageryKey`), or all of it.
 */
export async function listImagery(
  q: Queryable,
  scope: Scope,
  page: { limit?: number; afterKey?: KeyValue[] } = {},
): Promise<ImageryRecord[]> {
  const params: unknown[] = [];
  const where = [scope.where('jurisdiction_code', params)];
  if (page.afterKey)
    where.push(after([ACQUIRED, 'id'], page.afterKey, params, { casts: ['date', 'int'] }));
  const limit = page.limit ? ` LIMIT ${Math.max(1, Math.floor(page.limit))}` : '';
  const rows = await q.query<Row>(
    `SELECT ${COLUMNS} FROM imagery WHERE ${where.join(' AND ')} ORDER BY ${ACQUIRED}, id${limit}`,
    params,
  );
  return rows.map(toImagery);
}

/** Undated scenes sort last; a row comparison needs a value, not NULLS LAST. */
const ACQUIRED = "COALESCE(acquired_on, DATE '9999-12-31')";

/** The keyset key of a scene in `listImagery`'s order. */
export const imageryKey = (img: ImageryRecord): KeyValue[] => [
  img.acquiredOn ?? '9999-12-31',
  img.id,
];

/** One image, or null when absent or outside the scope (no existence leak). */
export async function getImagery(
  q: Queryable,
  scope: Scope,
  id: number,
): Promise<ImageryRecord | null> {
  const params: unknown[] = [id];
  const rows = await q.query<Row>(
    `SELECT ${COLUMNS} FROM imagery WHERE id = $1 AND ${scope.where('jurisdiction_code', params)}`,
    params,
  );
  return rows[0] ? toImagery(rows[0]) : null;
}

/** A scene to register: what the imagery table holds, less its id. */
export type NewImagery = Omit<ImageryRecord, 'id' | 'bbox'> & { bbox: BBox };

/** Registers a scene; returns it with its id. */
export async function insertImagery(q: Queryable, img: NewImagery): Promise<ImageryRecord> {
  const [minX, minY, maxX, maxY] = img.bbox;
  const rows = await q.query<Row>(
    `INSERT INTO imagery (name, acquired_on, uri, jurisdiction_code, bbox, meta)
     VALUES ($1, $2, $3, $4, box(point($5, $6), point($7, $8)), $9::jsonb)
     RETURNING ${COLUMNS}`,
    [
      img.name,
      img.acquiredOn,
      img.uri,
      img.jurisdictionCode,
      minX,
      minY,
      maxX,
      maxY,
      JSON.stringify(img.meta),
    ],
  );
  return toImagery(rows[0]);
}
