import type { Queryable } from './db.ts';

/**
 * What the public tip quotas count, and the retention sweep of tip photos (SECURITY.md "Tip
 * storage"). Tips are counted by the salted hash of the sender's address, never the address.
 */

export interface TipUsage {
  /** tips from this client in the last hour, and in the last 24 hours */
  hour: number;
  day: number;
  /** photo bytes from this client in the last 24 hours */
  clientBytesDay: number;
  /** photo bytes from everyone in the last 24 hours */
  allBytesDay: number;
  /** photo bytes of tips whose photos are still kept */
  storedBytes: number;
}

export async function tipUsage(q: Queryable, clientHash: string, now: Date): Promise<TipUsage> {
  const hour = new Date(now.getTime() - 3600_000);
  const day = new Date(now.getTime() - 86400_000);
  const rows = await q.query<TipUsage>(
    `SELECT
       count(*) FILTER (WHERE client_hash = $1 AND created_at >= $2)::int AS hour,
       count(*) FILTER (WHERE client_hash = $1 AND created_at >= $3)::int AS day,
       coalesce(sum(photo_bytes) FILTER (WHERE client_hash = $1 AND created_at >= $3), 0)::bigint AS "clientBytesDay",
       coalesce(sum(photo_bytes) FILTER (WHERE created_at >= $3), 0)::bigint AS "allBytesDay",
       coalesce(sum(photo_bytes) FILTER (WHERE photos_purged_at IS NULL), 0)::bigint AS "storedBytes"
     FROM public_tips`,
    [clientHash, hour, day],
  );
  return rows[0];
}

/**
 * Tips whose photos have expired: rejected more than `days` ago, or received more than `days`
 * ago and never triaged. Accepted tips keep theirs (they are the evidence of a 图斑).
 */
export async function tipsWithExpiredPhotos(
  q: Queryable,
  before: Date,
  limit = 500,
): Promise<{ id: number; photos: string[] }[]> {
  return q.query<{ id: number; photos: string[] }>(
    `SELECT id, photos FROM public_tips
      WHERE photos_purged_at IS NULL AND jsonb_array_length(photos) > 0
        AND ((status = 'rejected' AND coalesce((triage->>'at')::timestamptz, created_at) < $1)
          OR (status = 'received' AND created_at < $1))
      ORDER BY id LIMIT $2`,
    [before, limit],
  );
}

/** Marks a tip's photos deleted (the list of their hashes stays as the record of what was sent). */
export async function markTipPhotosPurged(q: Queryable, id: number, at: Date): Promise<void> {
  await q.query('UPDATE public_tips SET photos_purged_at = $2 WHERE id = $1', [id, at]);
}

/**
 * Whether a photo file is still needed by anything else: another tip whose photos are kept,
 * a field submission, a camera alarm or a 图斑 from a lead. Files are content-addressed, so the
 * same bytes sent twice are one file.
 */
export async function evidenceStillUsed(q: Queryable, sha256: string): Promise<boolean> {
  const like = `%${sha256}%`;
  const rows = await q.query<{ used: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM public_tips WHERE photos_purged_at IS NULL AND photos ? $1)
         OR EXISTS (SELECT 1 FROM field_submissions WHERE photos::text LIKE $2)
         OR EXISTS (SELECT 1 FROM camera_events WHERE snapshot_sha256 = $1)
         OR EXISTS (SELECT 1 FROM polygons WHERE source IN ('tip', 'patrol', 'video') AND properties::text LIKE $2) AS used`,
    [sha256, like],
  );
  return rows[0].used;
}

export async function deleteEvidenceFileRow(q: Queryable, sha256: string): Promise<void> {
  await q.query('DELETE FROM evidence_files WHERE sha256 = $1', [sha256]);
}
