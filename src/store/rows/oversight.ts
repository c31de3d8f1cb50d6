import type { PublicNotice, SpotCheckSample } from '../../cases/index.ts';
import { col, defineTable } from '../table.ts';

export const SPOT_CHECKS = defineTable('spot_checks', {
  id: col.int('id'),
  jurisdictionCode: col.text('jurisdiction_code'),
  period: col.text('period'),
  sample: col.json<SpotCheckSample>('sample'),
  createdBy: col.int('created_by').orNull(),
  createdAt: col.time('created_at'),
});

/** 执法公示 as the public reads it: never joined to anything private. */
export const PUBLICATIONS = defineTable('publications', {
  polygonId: col.int('polygon_id'),
  jurisdictionCode: col.text('jurisdiction_code'),
  notice: col.json<PublicNotice>('notice'),
  publishedAt: col.time('published_at'),
});
