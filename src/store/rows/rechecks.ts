import { col, defineTable } from '../table.ts';

/** A re-check of one case on one later scene (migration 013), with its measures and chips. */
export const IMAGERY_RECHECKS = defineTable('imagery_rechecks', {
  id: col.int('id'),
  polygonId: col.int('polygon_id'),
  imageryId: col.int('imagery_id'),
  violationImagery: col.int('violation_imagery').orNull(),
  beforeImagery: col.int('before_imagery').orNull(),
  jurisdictionCode: col.text('jurisdiction_code'),
  caseStatus: col.text('case_status'),
  outcome: col.text('outcome'),
  measures: col.json<Record<string, number>>('measures').or(() => ({})),
  reasons: col.json<string[]>('reasons').or(() => []),
  chips: col.json<Record<string, string>>('chips').or(() => ({})),
  createdAt: col.time('created_at'),
});
