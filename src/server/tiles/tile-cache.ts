import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { ScopedStore } from '../../store/scoped-store.ts';
import type { TileStamps } from '../../store/tile-stamps.ts';

/** Bytes of encoded tiles kept in memory: a county at zooms 8–16 fits many times over. */
const CACHE_BYTES = 128 * 1024 * 1024;
/** How long a scope's stamps are reused: one cheap query per second per scope under load. */
const STAMP_TTL_MS = 1000;

/**
 * Encoded tiles (MVT or PNG) by key. Keys carry the caller's scope prefix and the data stamps,
 * so a tile is never shared across jurisdictions and a changed 图斑 never reads stale.
 */
export class TileCache {
  private readonly tiles = new LRUCache<string, Uint8Array>({
    maxSize: CACHE_BYTES,
    // An empty tile still costs its key and entry: count it as 64 bytes.
    sizeCalculation: (v) => Math.max(64, v.byteLength),
  });
  private readonly inflight = new Map<string, Promise<Uint8Array>>();
  private readonly stamps = new Map<string, { at: number; value: Promise<TileStamps> }>();

  /** The cached tile, or `make()`'s, computed once even when many clients ask at the same time. */
  async get(key: string, make: () => Promise<Uint8Array>): Promise<Uint8Array> {
    const hit = this.tiles.get(key);
    if (hit) return hit;
    let p = this.inflight.get(key);
    if (!p) {
      p = make().then(
        (v) => {
          this.tiles.set(key, v);
          this.inflight.delete(key);
          return v;
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

  /** The stamps of the caller's scope, memoised for a second. */
  stampsOf(store: ScopedStore, now = Date.now()): Promise<TileStamps> {
    const prefix = store.scope.prefix;
    const s = this.stamps.get(prefix);
    if (s && now - s.at < STAMP_TTL_MS) return s.value;
    const value = store.tileStamps();
    value.catch(() => this.stamps.delete(prefix));
    this.stamps.set(prefix, { at: now, value });
    return value;
  }

  clear(): void {
    this.tiles.clear();
    this.stamps.clear();
  }
}

/** A strong ETag for a cache key (quoted, as HTTP wants it). */
export function etagOf(key: string): string {
  return `"${createHash('sha1').update(key).digest('base64url').slice(0, 20)}"`;
}
