import type { FlagKind } from '../../field/evidence.ts';
import type { TrackPoint } from '../../field/schemas.ts';
import { col, defineTable } from '../table.ts';

/** A stored photo of a submission: what the phone claimed plus what the server found. */
export interface StoredPhoto {
  sha256: string;
  claimedSha256: string;
  mediaType: string;
  bytes: number;
  lon: number;
  lat: number;
  accuracyM?: number;
  heading?: number;
  takenAt: string;
}

export const SUBMISSIONS = defineTable('field_submissions', {
  id: col.text('id'),
  polygonId: col.int('polygon_id'),
  jurisdictionCode: col.text('jurisdiction_code'),
  userId: col.int('user_id'),
  status: col.text<'pending' | 'accepted' | 'refused'>('status'),
  form: col.json<Record<string, unknown>>('form'),
  photos: col.json<StoredPhoto[]>('photos'),
  result: col.json<Record<string, unknown>>('result').orNull(),
  receivedAt: col.time('received_at'),
});

/** An evidence flag (field/evidence.ts EvidenceFlag) where it was raised. */
export const FLAGS = defineTable('field_flags', {
  id: col.int('id'),
  submissionId: col.text('submission_id').orNull(),
  polygonId: col.int('polygon_id'),
  jurisdictionCode: col.text('jurisdiction_code'),
  kind: col.text<FlagKind>('kind'),
  // Nullable in the schema, but every flag names its photo (EvidenceFlag.photo).
  photo: col.int('photo_index'),
  message: col.text('message'),
  detail: col.json<Record<string, unknown>>('detail'),
  at: col.time('at'),
});

export const PATROLS = defineTable('patrols', {
  id: col.int('id'),
  userId: col.int('user_id'),
  jurisdictionCode: col.text('jurisdiction_code'),
  startedAt: col.time('started_at'),
  endedAt: col.time('ended_at').orNull(),
  track: col.json<TrackPoint[]>('track'),
  lengthM: col.float('length_m'),
});
