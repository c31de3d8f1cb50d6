import { GengbaoError } from '../errors.ts';

/**
 * Keyset pages: a list ordered by a unique key (e.g. `(due_at, id)`) continues after the last
 * row it returned, not at an OFFSET. Under load an OFFSET page costs the rows it skips (the
 * planner reads and drops them), a keyset page only the rows it returns; and a client paging
 * while 图斑 arrive sees every row once. The cursor is opaque to clients: base64url of the
 * last row's key, tagged by the list so one list's cursor is refused by another.
 */

export type KeyValue = string | number;

/** One page: the rows and the cursor of the next page (null on the last one). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Cursor of the row after which the next page starts. */
export function encodeCursor(list: string, key: KeyValue[]): string {
  return Buffer.from(JSON.stringify([list, ...key])).toString('base64url');
}

/** The key a cursor holds; a cursor of another list, or not one at all, is bad input. */
export function decodeCursor(
  list: string,
  cursor: string,
  kinds: ('number' | 'string')[],
): KeyValue[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  const ok =
    Array.isArray(parsed) &&
    parsed.length === kinds.length + 1 &&
    parsed[0] === list &&
    kinds.every(
      (k, i) => typeof parsed[i + 1] === k && (k === 'string' || Number.isFinite(parsed[i + 1])),
    );
  if (!ok)
    throw new GengbaoError('bad_input', 'cursor is not one this list gave', { field: 'cursor' });
  return (parsed as KeyValue[]).slice(1);
}

/**
 * The condition "row comes after `key`" for an ORDER BY over `columns` (all ascending, or all
 * descending when `desc`), as a row comparison PostgreSQL serves from a matching index.
 * `casts` gives each parameter's SQL type (e.g. 'timestamptz').
 */
export function after(
  columns: string[],
  key: KeyValue[],
  params: unknown[],
  opts: { desc?: boolean; casts?: (string | undefined)[] } = {},
): string {
  const values = key.map((v, i) => {
    const cast = opts.casts?.[i];
    return `$${params.push(v)}${cast ? `::${cast}` : ''}`;
  });
  return `(${columns.join(', ')}) ${opts.desc ? '<' : '>'} (${values.join(', ')})`;
}

/**
 * Cuts rows read with `LIMIT limit + 1` into a page: the extra row only says there is a next
 * page, whose cursor is the key of the last row kept.
 */
export function pageOf<T>(
  list: string,
  rows: T[],
  limit: number,
  keyOf: (row: T) => KeyValue[],
): Page<T> {
  const items = rows.length > limit ? rows.slice(0, limit) : rows;
  const nextCursor =
    rows.length > limit ? encodeCursor(list, keyOf(items[items.length - 1])) : null;
  return { items, nextCursor };
}
