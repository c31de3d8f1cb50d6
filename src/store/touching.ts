import type { BBox } from '../geo/types.ts';
import type { Queryable } from './db.ts';
import type { Row } from './table.ts';

/** The rows of a table whose `bbox` overlaps any of a set of boxes, and how to read them. */
export interface TouchingQuery {
  table: string;
  /** The key the rows are read by and ordered on: an int8 `id` or a text `code`. */
  key: { column: string; type: 'int8' | 'text' };
  /** The select list of a row (the table's `select()`). */
  select: string;
  /** Further conditions on `t.<column>` (scope, level, period), values pushed into `params`. */
  where(params: unknown[]): string[];
}

/**
 * Rows of `spec.table` whose `bbox` overlaps any of `boxes`, in key order, in batches of
 * `batch` rows. The keys come first, from one query that probes the GiST index on `bbox` once
 * per box (native `box &&` on PGlite and on the PostgreSQL server alike): the rows that lie
 * between the boxes are never read, however far the boxes' common extent reaches. Then the rows
 * follow a batch of keys at a time, so only the keys (numbers or codes) are held whole.
 */
export async function* rowsTouching(
  q: Queryable,
  spec: TouchingQuery,
  boxes: BBox[],
  batch = 2000,
): AsyncGenerator<Row[]> {
  if (!boxes.length) return;
  // Boxes are stored from the same float8 values the callers hold (exact both ways), so a box
  // meeting a 图斑's only at its edge compares equal here and in the overlay's index alike.
  const params: unknown[] = [0, 1, 2, 3].map((c) => boxes.map((b) => b[c]));
  const where = spec.where(params);
  const k = `t.${spec.key.column}`;
  const keys = await q.query<{ k: number | string }>(
    `SELECT DISTINCT ${k} AS k
       FROM unnest($1::float8[], $2::float8[], $3::float8[], $4::float8[]) AS b(x0, y0, x1, y1)
       JOIN ${spec.table} t ON t.bbox && box(point(b.x0, b.y0), point(b.x1, b.y1))
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY 1`,
    params,
  );
  for (let i = 0; i < keys.length; i += batch) {
    const some = keys.slice(i, i + batch).map((r) => r.k);
    const rows = await q.query<Row>(
      `SELECT ${spec.select} FROM ${spec.table}
        WHERE ${spec.key.column} = ANY($1::${spec.key.type}[]) ORDER BY ${spec.key.column}`,
      [some],
    );
    yield rows;
  }
}
