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

/** Boxes per key query (see `rowsTouching`). */
const BOXES_PER_QUERY = 250;

/**
 * Rows of `spec.table` whose `bbox` overlaps any of `boxes`, in key order, in batches of
 * `batch` rows. The keys come first, from queries that probe the GiST index on `bbox` once
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
  const k = `t.${spec.key.column}`;
  // The keys by a few hundred boxes per query: on PGlite a query holds the event loop until
  // it ends, and one over 2,255 图斑 held it 387 ms (bench:analysis).
  const found = new Set<number | string>();
  for (let i = 0; i < boxes.length; i += BOXES_PER_QUERY) {
    const some = boxes.slice(i, i + BOXES_PER_QUERY);
    // Boxes are stored from the same float8 values the callers hold (exact both ways), so a box
    // meeting a 图斑's only at its edge compares equal here and in the overlay's index alike.
    const params: unknown[] = [0, 1, 2, 3].map((c) => some.map((b) => b[c]));
    const where = spec.where(params);
    const rows = await q.query<{ k: number | string }>(
      `SELECT DISTINCT ${k} AS k
         FROM unnest($1::float8[], $2::float8[], $3::float8[], $4::float8[]) AS b(x0, y0, x1, y1)
         JOIN ${spec.table} t ON t.bbox && box(point(b.x0, b.y0), point(b.x1, b.y1))
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`,
      params,
    );
    for (const r of rows) found.add(r.k);
  }
  // Key order, as the rows are read: ids as numbers; codes are digits, so text order is theirs.
  const keys = [...found].sort((a, b) =>
    typeof a === 'number' ? a - (b as number) : a < b ? -1 : a > b ? 1 : 0,
  );
  for (let i = 0; i < keys.length; i += batch) {
    const some = keys.slice(i, i + batch);
    const rows = await q.query<Row>(
      `SELECT ${spec.select} FROM ${spec.table}
        WHERE ${spec.key.column} = ANY($1::${spec.key.type}[]) ORDER BY ${spec.key.column}`,
      [some],
    );
    yield rows;
  }
}
