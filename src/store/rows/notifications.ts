import { col, defineTable } from '../table.ts';

export const NOTIFICATIONS = defineTable('notifications', {
  id: col.int('id'),
  jurisdictionCode: col.text('jurisdiction_code'),
  polygonId: col.int('polygon_id').orNull(),
  kind: col.text('kind'),
  audience: col.text('audience').orNull(),
  payload: col.json<Record<string, unknown>>('payload'),
  createdAt: col.time('created_at'),
  readAt: col.time('read_at').orNull(),
});
