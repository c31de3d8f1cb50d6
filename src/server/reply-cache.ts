import { LRUCache } from 'lru-cache';
import type { z } from 'zod';
import type { ScopedStore } from '../store/scoped-store.ts';

/** Bytes of serialized replies kept: pages of 100 图斑 are ~75 KB, so a few hundred pages. */
const CACHE_BYTES = 32 * 1024 * 1024;
/** Longest a reply is reused, even when no stamp moved (a write that bumps no version). */
const MAX_AGE_MS = 2000;
/** How long a scope's 图斑 stamp is reused: one cheap query per second per scope under load. */
const STAMP_TTL_MS = 1000;

/** Bumped after every request that may have written (app.ts): cached replies of before it are not reused. */
let writes = 0;
export function noteWrite(): void {
  writes++;
}

/**
 * Serialized list replies, keyed by the caller's scope, the 图斑 data stamp
 * (store/tile-stamps.ts: count, sum of versions, last update) and the request URL, kept at
 * most 2 s. Why: a page of 100 图斑 costs ~4 ms of PGlite on the main thread at best (the
 * heap reads, not the JSON: measured, a one-cell `json_agg` read was no faster), so at 200
 * connections a list served from the database alone tops out near 200 req/s and everything
 * else, /api/health included, queues behind it. Officers of one unit open the same queues;
 * the second ask within a stamp sends bytes already made. A change to a 图斑 in the scope moves the
 * stamp (seen within the stamp's second); a write through this server (any request but GET
 * and HEAD) drops every cached reply and stamp at once, so an officer who has just pushed a
 * 图斑 never sees it still in the queue. Writes by other processes show within a second or two.
 */
export class ReplyCache {
  private readonly replies = new LRUCache<string, Buffer>({
    maxSize: CACHE_BYTES,
    ttl: MAX_AGE_MS,
    sizeCalculation: (v) => Math.max(64, v.byteLength),
  });
  private readonly inflight = new Map<string, Promise<Buffer>>();
  private readonly stamps = new Map<
    string,
    { at: number; writes: number; value: Promise<string> }
  >();

  /**
   * The reply as UTF-8 JSON bytes: cached, or made, checked against `schema` and serialized
   * once. Bytes, not a string: a 75 KB page with Chinese names was encoded again on every send.
   */
  async json<T>(
    store: ScopedStore,
    url: string,
    schema: z.ZodType<T>,
    make: () => Promise<T>,
  ): Promise<Buffer> {
    const key = `${writes}|${store.scope.prefix}|${await this.stampOf(store)}|${url}`;
    const hit = this.replies.get(key);
    if (hit !== undefined) return hit;
    let p = this.inflight.get(key);
    if (!p) {
      // As the zod serializer does: parse (unknown fields dropped, a wrong one throws), then stringify.
      p = make()
        .then((v) => Buffer.from(JSON.stringify(schema.parse(v))))
        .then(
          (text) => {
            this.replies.set(key, text);
            this.inflight.delete(key);
            return text;
          },
          (e) => {
            this.inflight.delete(key);
            throw e;
          },
        );
      this.inflight.set(key, p);
    }
    return p;
  }

  private stampOf(store: ScopedStore, now = Date.now()): Promise<string> {
    const prefix = store.scope.prefix;
    const s = this.stamps.get(prefix);
    if (s && s.writes === writes && now - s.at < STAMP_TTL_MS) return s.value;
    const value = store.tileStamps().then((t) => t.polygons);
    value.catch(() => this.stamps.delete(prefix));
    this.stamps.set(prefix, { at: now, writes, value });
    return value;
  }
}
