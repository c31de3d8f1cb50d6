import type { Db, Queryable } from './db.ts';

/** Replaces a reference layer's metadata (its import report, field map…). */
export async function setReferenceLayerMeta(
  q: Queryable,
  layerId: number,
  meta: Record<string, unknown>,
): Promise<void> {
  await q.query(`UPDATE reference_layers SET meta = $2::jsonb WHERE id = $1`, [
    layerId,
    JSON.stringify(meta),
  ]);
}

/** Refreshes the planner's statistics after a large import, so 套合 queries use the spatial index. */
export async function analyzeReferenceFeatures(db: Db): Promise<void> {
  await db.exec('ANALYZE reference_features');
}
