import type { BBox } from '../geo/types.ts';
import type { Queryable } from './db.ts';
import { IMAGERY } from './rows/imagery.ts';
import type { Scope } from './scope.ts';
import type { RecordOf, Row } from './table.ts';

/** A stored image (scene) over part of the region; `uri` is a local path or URL to a GeoTIFF/COG. */
export type ImageryRecord = RecordOf<typeof IMAGERY.columns>;

const toImagery = (r: Row): ImageryRecord => IMAGERY.read(r);
const COLUMNS = IMAGERY.select();

/** Imagery whose jurisdiction lies in the scope, oldest acquisition first. */
export async function listImagery(q: Queryable, scope: Scope): Promise<ImageryRecord[]> {
  const params: unknown[] = [];
  const rows = await q.query<Row>(
    `SELECT ${COLUMNS} FROM imagery WHERE ${scope.where('jurisdiction_code', params)} ORDER BY acquired_on NULLS LAST, id`,
    params,
  );
  return rows.map(toImagery);
}

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
