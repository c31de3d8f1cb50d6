import type { Queryable } from './db.ts';

export interface BulkInsert {
  table: string;
  /** Fields of each input row and their SQL types, as `jsonb_to_recordset` reads them. */
  record: Record<string, string>;
  /** Target column → SQL expression over `r.<field>`. */
  values: Record<string, string>;
  returning?: string;
  batch?: number;
}

/**
 * Inserts many rows in few round trips on both back-ends: each batch travels as one jsonb
 * array expanded by `jsonb_to_recordset`. PGlite does ~2.5 k single-row INSERTs/s; one
 * statement per few thousand rows is an order of magnitude faster and needs no COPY, which
 * node-postgres and PGlite spell differently.
 */
export async function insertRows<T = Record<string, unknown>>(
  q: Queryable,
  spec: BulkInsert,
  rows: object[],
): Promise<T[]> {
  const recordType = Object.entries(spec.record)
    .map(([c, t]) => `${c} ${t}`)
    .join(', ');
  const targets = Object.keys(spec.values);
  const sql =
    `INSERT INTO ${spec.table} (${targets.join(', ')}) SELECT ${targets.map((t) => spec.values[t]).join(', ')} ` +
    `FROM jsonb_to_recordset($1::jsonb) AS r(${recordType})` +
    (spec.returning ? ` RETURNING ${spec.returning}` : '');
  const size = spec.batch ?? 2000;
  const out: T[] = [];
  for (let i = 0; i < rows.length; i += size) {
    out.push(...(await q.query<T>(sql, [JSON.stringify(rows.slice(i, i + size))])));
  }
  return out;
}

/** Record fields for a bounding box, and the `box` expression built from them. */
export const BBOX_RECORD = {
  minx: 'float8',
  miny: 'float8',
  maxx: 'float8',
  maxy: 'float8',
} as const;
export const BOX_FROM_RECORD = 'box(point(r.minx, r.miny), point(r.maxx, r.maxy))';

/** Splits a bbox tuple into the record fields above. */
export function bboxFields(b: [number, number, number, number] | null): {
  minx: number | null;
  miny: number | null;
  maxx: number | null;
  maxy: number | null;
} {
  return b
    ? { minx: b[0], miny: b[1], maxx: b[2], maxy: b[3] }
    : { minx: null, miny: null, maxx: null, maxy: null };
}

/** SQL condition "box column overlaps the query box", pushing the four numbers into params. */
export function boxOverlaps(
  column: string,
  bbox: [number, number, number, number],
  params: unknown[],
): string {
  params.push(bbox[0], bbox[1], bbox[2], bbox[3]);
  const n = params.length;
  return `${column} && box(point($${n - 3}, $${n - 2}), point($${n - 1}, $${n}))`;
}
