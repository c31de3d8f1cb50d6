import type { Queryable } from './db.ts';
import type { Scope } from './scope.ts';

/** Short strings that change whenever what a map tile shows may have changed. */
export interface TileStamps {
  /** 图斑 in the scope: count, sum of versions (every state change bumps one) and latest update. */
  polygons: string;
  /**
   * Reference layers and jurisdictions: imports add rows, so counts, the last id and the last
   * import time move. The time matters for tiles kept on disk: a demo reset restarts the ids,
   * and the counts of a regenerated demo may well come out the same.
   */
  reference: string;
}

/**
 * The stamps of the caller's scope, in one round trip. Tile caches key on them, so a verdict
 * recorded a moment ago is never served from a stale tile.
 */
export async function tileStamps(q: Queryable, scope: Scope): Promise<TileStamps> {
  const params: unknown[] = [];
  const scoped = scope.where('jurisdiction_code', params);
  const [row] = await q.query<{ p: string; r: string }>(
    `SELECT (SELECT count(*) || '.' || coalesce(sum(version), 0) || '.' || coalesce(floor(extract(epoch FROM max(updated_at)) * 1000), 0)
               FROM polygons WHERE ${scoped}) AS p,
            (SELECT count(*) || '.' || coalesce(max(id), 0) || '.' || coalesce(floor(extract(epoch FROM max(imported_at)) * 1000), 0)
               FROM reference_layers) || '.' ||
            (SELECT count(*) FROM jurisdictions) AS r`,
    params,
  );
  return { polygons: row.p, reference: row.r };
}
