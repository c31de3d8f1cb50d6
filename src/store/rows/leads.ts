import { z } from 'zod';
import { LEAD_STATUSES, type LeadStatus } from '../../contract/vocabulary.ts';
import { col, defineTable } from '../table.ts';

export { LEAD_STATUSES, type LeadStatus };
const leadStatus = () => col.text('status').described(z.enum(LEAD_STATUSES));

/** A public tip (举报). The sender's client hash stays in the table: only the flood limit reads it. */
export const TIPS = defineTable('public_tips', {
  id: col.int('id'),
  receipt: col.text('receipt'),
  jurisdictionCode: col.text('jurisdiction_code'),
  lon: col.float('lon'),
  lat: col.float('lat'),
  description: col.text('description'),
  photos: col.json<string[]>('photos'),
  contact: col.json<Record<string, unknown>>('contact').orNull(),
  status: leadStatus(),
  polygonId: col.int('polygon_id').orNull(),
  triage: col.json<Record<string, unknown>>('triage').orNull(),
  createdAt: col.time('created_at'),
});

/** A camera with the hash of its webhook token (only authentication reads the hash). */
export const CAMERAS = defineTable('cameras', {
  id: col.text('id'),
  jurisdictionCode: col.text('jurisdiction_code'),
  label: col.text('label'),
  lon: col.float('lon'),
  lat: col.float('lat'),
  tokenHash: col.text('token_hash'),
});

export const CAMERA_EVENTS = defineTable('camera_events', {
  id: col.int('id'),
  cameraId: col.text('camera_id'),
  eventId: col.text('event_id'),
  jurisdictionCode: col.text('jurisdiction_code'),
  at: col.time('at'),
  lon: col.float('lon'),
  lat: col.float('lat'),
  bearing: col.float('bearing').orNull(),
  label: col.text('label').orNull(),
  snapshotSha256: col.text('snapshot_sha256'),
  status: leadStatus(),
  polygonId: col.int('polygon_id').orNull(),
});
