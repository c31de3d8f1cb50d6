/**
 * Detection models adapted to the installation's verdicts (migration 016): one row per version,
 * with its history. Installation-wide, like the shipped model they extend, so unscoped: the
 * routes and the job let province-level roles and administrators reach them (the
 * `detection.learn` job and src/services/detection-learning.ts).
 */
import type { PolygonCaseState } from '../cases/index.ts';
import type { Queryable } from './db.ts';
import {
  DETECTION_MODEL_HISTORY,
  type HeldOutScore,
  type LearnedScene,
} from './rows/detection-models.ts';
import { POLYGONS } from './rows/polygons.ts';
import type { Scope } from './scope.ts';
import { col, type RecordOf, type Row } from './table.ts';

export type DetectionModelRecord = RecordOf<typeof DETECTION_MODEL_HISTORY.columns>;
export type { HeldOutScore, LearnedScene };

export interface NewDetectionModel {
  sensor: string;
  shippedHash: string;
  extension: { trees: unknown[]; cut: number; method?: string };
  verdicts: number;
  verdictsChange: number;
  verdictsNoChange: number;
  heldOut: number;
  scenes: LearnedScene[];
  scoreBefore: HeldOutScore;
  scoreAfter: HeldOutScore;
  adopted: boolean;
  jurisdictionCode: string;
  createdBy: number | null;
  jobId: string | null;
  createdAt: Date;
}

const HISTORY = `detection_models m
  LEFT JOIN users u ON u.id = m.created_by
  LEFT JOIN users r ON r.id = m.rolled_back_by`;

/** Stores a new version; returns its id. */
export async function insertDetectionModel(q: Queryable, m: NewDetectionModel): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO detection_models (sensor, shipped_hash, extension, verdicts, verdicts_change,
       verdicts_no_change, held_out, scenes, score_before, score_after, adopted, jurisdiction_code,
       created_by, job_id, created_at)
     VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10::jsonb, $11, $12, $13, $14, $15)
     RETURNING id`,
    [
      m.sensor,
      m.shippedHash,
      JSON.stringify(m.extension),
      m.verdicts,
      m.verdictsChange,
      m.verdictsNoChange,
      m.heldOut,
      JSON.stringify(m.scenes),
      JSON.stringify(m.scoreBefore),
      JSON.stringify(m.scoreAfter),
      m.adopted,
      m.jurisdictionCode,
      m.createdBy,
      m.jobId,
      m.createdAt,
    ],
  );
  return Number(rows[0].id);
}

/** Every version, newest first (without the trees). */
export async function listDetectionModels(q: Queryable): Promise<DetectionModelRecord[]> {
  const rows = await q.query<Row>(
    `SELECT ${DETECTION_MODEL_HISTORY.select({ alias: 'm' })} FROM ${HISTORY} ORDER BY m.id DESC`,
  );
  return rows.map(DETECTION_MODEL_HISTORY.read);
}

/** One version, with its trees when `withExtension`. */
export async function getDetectionModel(
  q: Queryable,
  id: number,
  withExtension = false,
): Promise<DetectionModelRecord | null> {
  const rows = await q.query<Row>(
    `SELECT ${DETECTION_MODEL_HISTORY.select({ alias: 'm', with: withExtension ? ['extension'] : [] })}
       FROM ${HISTORY} WHERE m.id = $1`,
    [id],
  );
  return rows[0] ? DETECTION_MODEL_HISTORY.read(rows[0]) : null;
}

/**
 * The version in force for a sensor: the newest adopted one not rolled back, grown on the
 * shipped model of this release (`shippedHash`), with its trees; null when none.
 */
export async function modelInForce(
  q: Queryable,
  sensor: string,
  shippedHash: string,
): Promise<DetectionModelRecord | null> {
  const rows = await q.query<Row>(
    `SELECT ${DETECTION_MODEL_HISTORY.select({ alias: 'm', with: ['extension'] })} FROM ${HISTORY}
      WHERE m.sensor = $1 AND m.shipped_hash = $2 AND m.adopted AND m.rolled_back_at IS NULL
      ORDER BY m.id DESC LIMIT 1`,
    [sensor, shippedHash],
  );
  return rows[0] ? DETECTION_MODEL_HISTORY.read(rows[0]) : null;
}

/** Marks a version rolled back; false when it was already. */
export async function rollBackDetectionModel(
  q: Queryable,
  id: number,
  by: number | null,
  at: Date,
): Promise<boolean> {
  const rows = await q.query(
    `UPDATE detection_models SET rolled_back_at = $2, rolled_back_by = $3
      WHERE id = $1 AND rolled_back_at IS NULL RETURNING id`,
    [id, at, by],
  );
  return rows.length === 1;
}

/** A detected 图斑 with a case state, as the learning step reads it. */
export const JUDGED_DETECTIONS = POLYGONS.pick(
  'id',
  'code',
  'jurisdictionCode',
  'status',
  'properties',
  'geometry',
).extend({ state: col.json<PolygonCaseState>('case_state').orNull() });
export type JudgedDetection = RecordOf<typeof JUDGED_DETECTIONS.columns>;

/**
 * The 图斑 of source `detection` in the scope detected with `sensor`, with their outline,
 * properties (the detection job and imagery that found them) and case state, oldest first.
 */
export async function detectedPolygonsOf(
  q: Queryable,
  scope: Scope,
  sensor: string,
): Promise<JudgedDetection[]> {
  const params: unknown[] = [sensor];
  const rows = await q.query<Row>(
    `SELECT ${JUDGED_DETECTIONS.select({ with: ['geometry'] })} FROM polygons
      WHERE source = 'detection' AND properties->>'sensor' = $1
        AND ${scope.where('jurisdiction_code', params)}
      ORDER BY id`,
    params,
  );
  return rows.map(JUDGED_DETECTIONS.read);
}
