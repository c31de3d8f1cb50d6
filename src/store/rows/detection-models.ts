import { col, defineTable } from '../table.ts';

/** A held-out pixel score of a model version (src/detect/learned/adapt.ts). */
export interface HeldOutScore {
  f1: number;
  precision: number;
  recall: number;
  pixels: number;
}

/** The scene pair one version learned from: registered imagery ids and their names. */
export interface LearnedScene {
  before: number;
  after: number;
  names: string[];
  verdicts: number;
}

/** A detection model adapted to the installation's verdicts (migration 016). */
export const DETECTION_MODELS = defineTable('detection_models', {
  id: col.int('id'),
  sensor: col.text('sensor'),
  shippedHash: col.text('shipped_hash'),
  verdicts: col.int('verdicts'),
  verdictsChange: col.int('verdicts_change'),
  verdictsNoChange: col.int('verdicts_no_change'),
  heldOut: col.int('held_out'),
  scenes: col.json<LearnedScene[]>('scenes').or(() => []),
  scoreBefore: col.json<HeldOutScore>('score_before'),
  scoreAfter: col.json<HeldOutScore>('score_after'),
  adopted: col.bool('adopted'),
  jurisdictionCode: col.text('jurisdiction_code'),
  createdBy: col.int('created_by').orNull(),
  jobId: col.text('job_id').orNull(),
  createdAt: col.time('created_at'),
  rolledBackAt: col.time('rolled_back_at').orNull(),
  rolledBackBy: col.int('rolled_back_by').orNull(),
  extension: col.json<{ trees: unknown[]; cut: number }>('extension').whenAsked(),
});

/** A version as the history lists it: with the names of who made and who rolled it back. */
export const DETECTION_MODEL_HISTORY = DETECTION_MODELS.extend({
  createdByName: col.text('created_by_name', 'u.display_name').orNull(),
  rolledBackByName: col.text('rolled_back_by_name', 'r.display_name').orNull(),
});
