import { z } from 'zod';
import { decodeCursor, pageOf, type KeyValue, type Page } from '../store/keyset.ts';

/**
 * Query and reply shapes of keyset-paged lists. A page is capped: a client asking for more
 * gets the cap and a `nextCursor`, so one request can never make the server read and encode
 * 10,000 rows while 199 other clients wait (issue 25: `limit=1000` at 200 connections gave
 * p99 2.8 s). Asks above the cap are cut, not refused, so older clients keep working and
 * follow the cursor.
 */
export function pageQuery(opts: { cap: number; dflt: number }) {
  return {
    cursor: z.string().max(512).optional().describe('the nextCursor of the previous page'),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(10000)
      .default(opts.dflt)
      .describe(`rows per page; at most ${opts.cap} (larger asks get ${opts.cap})`),
    total: z
      .enum(['true', 'false'])
      .optional()
      .describe('true: also count every match (one COUNT query)'),
  };
}

/** A page of `item`: `count` is the page's size, `total` the whole result's when asked. */
export const paged = <T extends z.ZodType>(item: T) =>
  z.object({
    count: z.number(),
    items: z.array(item),
    nextCursor: z.string().nullable(),
    total: z.number().optional(),
  });

/** The page to read: the limit cut to the cap, and the key after which it starts. */
export function pageRequest(
  list: string,
  q: { cursor?: string; limit: number },
  cap: number,
  kinds: ('number' | 'string')[],
) {
  return {
    limit: Math.min(q.limit, cap),
    after: q.cursor ? decodeCursor(list, q.cursor, kinds) : undefined,
  };
}

/** Reads one row past the limit to know whether a next page exists, then shapes the reply. */
export async function readPage<T>(
  list: string,
  limit: number,
  read: (limitPlusOne: number) => Promise<T[]>,
  keyOf: (row: T) => KeyValue[],
  total?: () => Promise<number>,
): Promise<Page<T> & { count: number; total?: number }> {
  const [rows, n] = await Promise.all([read(limit + 1), total?.()]);
  const page = pageOf(list, rows, limit, keyOf);
  return { ...page, count: page.items.length, ...(n === undefined ? {} : { total: n }) };
}
