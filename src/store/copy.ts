import type { Queryable } from './db.ts';

/** A value of a COPY text row: null is `\N`; objects are written as JSON (jsonb columns). */
export type CopyValue = string | number | boolean | null | object;

/**
 * One value in PostgreSQL's COPY text format: backslash, tab, newline and carriage return
 * escaped. JSON text holds no raw tab or newline (JSON.stringify escapes them), only
 * backslashes, which COPY would read as escapes.
 */
function field(v: CopyValue): string {
  if (v === null) return '\\N';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[\\\t\n\r]/.test(s)
    ? s.replace(/[\\\t\n\r]/g, (c) =>
        c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
      )
    : s;
}

/** Rows as COPY text: tab-separated values, one line each. */
export function copyText(rows: CopyValue[][]): string {
  let out = '';
  for (const r of rows) out += r.map(field).join('\t') + '\n';
  return out;
}

/** A box column's literal, `(maxx,maxy),(minx,miny)`, as PostgreSQL writes one. */
export const boxLiteral = (b: [number, number, number, number]) =>
  `(${b[2]},${b[3]}),(${b[0]},${b[1]})`;

/**
 * Loads rows with COPY when the driver can (`q.copyFrom`); false when it cannot, and the
 * caller inserts them another way.
 */
export async function copyRows(
  q: Queryable,
  table: string,
  columns: string[],
  rows: CopyValue[][],
): Promise<boolean> {
  if (!q.copyFrom) return false;
  if (rows.length)
    await q.copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`, copyText(rows));
  return true;
}
