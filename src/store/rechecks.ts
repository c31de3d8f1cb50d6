/**
 * The re-check of rectification on later imagery (migration 013): which scenes are still to
 * be swept (claimed once by key), the cases a scene reaches, the scenes that hold a 图斑, and
 * the results, one per (case, scene).
 */
import type { BBox } from '../geo/types.ts';
import type { Queryable } from './db.ts';
import type { ImageryRecord } from './imagery.ts';
import { IMAGERY } from './rows/imagery.ts';
import { IMAGERY_RECHECKS } from './rows/rechecks.ts';
import type { Scope } from './scope.ts';
import type { RecordOf, Row } from './table.ts';

export type ImageryRecheck = RecordOf<typeof IMAGERY_RECHECKS.columns>;
const COLUMNS = IMAGERY_RECHECKS.select();

const boxSql = (i: number) => `box(point($${i}, $${i + 1}), point($${i + 2}, $${i + 3}))`;

/** Dated scenes no sweep has claimed yet, oldest first. */
export async function unsweptScenes(q: Queryable, limit = 20): Promise<ImageryRecord[]> {
  const rows = await q.query<Row>(
    `SELECT ${IMAGERY.select()} FROM imagery
      WHERE acquired_on IS NOT NULL AND bbox IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM recheck_sweeps s WHERE s.imagery_id = imagery.id)
      ORDER BY acquired_on, id LIMIT ${Math.max(1, Math.floor(limit))}`,
  );
  return rows.map(IMAGERY.read);
}

/** Claims the sweep of a scene: true once, whoever asks. */
export async function claimSweep(q: Queryable, imageryId: number, at: Date): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO recheck_sweeps (imagery_id, created_at) VALUES ($1, $2)
       ON CONFLICT (imagery_id) DO NOTHING RETURNING imagery_id`,
    [imageryId, at],
  );
  return rows.length === 1;
}

export async function setSweepJob(q: Queryable, imageryId: number, jobId: string): Promise<void> {
  await q.query(`UPDATE recheck_sweeps SET job_id = $2 WHERE imagery_id = $1`, [imageryId, jobId]);
}

export async function finishSweep(
  q: Queryable,
  imageryId: number,
  cases: number,
  at: Date,
): Promise<void> {
  await q.query(
    `UPDATE recheck_sweeps SET status = 'done', cases = $2, done_at = $3 WHERE imagery_id = $1`,
    [imageryId, cases, at],
  );
}

export interface CaseUnderScene {
  id: number;
  code: string;
  jurisdictionCode: string;
  status: string;
  geometry: unknown;
  properties: Record<string, unknown>;
}

/** Cases in one of `statuses` whose 图斑 box meets `bbox`. */
export async function casesUnder(
  q: Queryable,
  bbox: BBox,
  statuses: readonly string[],
): Promise<CaseUnderScene[]> {
  const rows = await q.query<{
    id: number;
    code: string;
    jurisdiction_code: string;
    status: string;
    geometry: unknown;
    properties: Record<string, unknown>;
  }>(
    `SELECT id, code, jurisdiction_code, status, geometry, properties FROM polygons
      WHERE bbox && ${boxSql(1)} AND status = ANY($5::text[]) AND case_state IS NOT NULL ORDER BY id`,
    [...bbox, [...statuses]],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    code: r.code,
    jurisdictionCode: r.jurisdiction_code,
    status: r.status,
    geometry: r.geometry,
    properties: r.properties ?? {},
  }));
}

/** Dated scenes whose box holds `bbox` whole, oldest first. */
export async function scenesHolding(q: Queryable, bbox: BBox): Promise<ImageryRecord[]> {
  const rows = await q.query<Row>(
    `SELECT ${IMAGERY.select()} FROM imagery
      WHERE acquired_on IS NOT NULL AND bbox @> ${boxSql(1)} ORDER BY acquired_on, id`,
    [...bbox],
  );
  return rows.map(IMAGERY.read);
}

export async function recheckExists(
  q: Queryable,
  polygonId: number,
  imageryId: number,
): Promise<boolean> {
  const rows = await q.query(
    `SELECT 1 FROM imagery_rechecks WHERE polygon_id = $1 AND imagery_id = $2`,
    [polygonId, imageryId],
  );
  return rows.length > 0;
}

export type NewRecheck = Omit<ImageryRecheck, 'id'>;

/** Stores a result; null when this (case, scene) already has one (a retry, another worker). */
export async function insertRecheck(q: Queryable, r: NewRecheck): Promise<number | null> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO imagery_rechecks (polygon_id, imagery_id, violation_imagery, before_imagery, jurisdiction_code,
        case_status, outcome, measures, reasons, chips, created_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8::jsonb,$9::jsonb,$10::jsonb,$11)
     ON CONFLICT (polygon_id, imagery_id) DO NOTHING RETURNING id`,
    [
      r.polygonId,
      r.imageryId,
      r.violationImagery,
      r.beforeImagery,
      r.jurisdictionCode,
      r.caseStatus,
      r.outcome,
      JSON.stringify(r.measures),
      JSON.stringify(r.reasons),
      JSON.stringify(r.chips),
      r.createdAt,
    ],
  );
  return rows[0] ? Number(rows[0].id) : null;
}

/** The re-checks of one 图斑 in the scope, newest first. */
export async function rechecksOf(
  q: Queryable,
  scope: Scope,
  polygonId: number,
): Promise<ImageryRecheck[]> {
  const params: unknown[] = [polygonId];
  const rows = await q.query<Row>(
    `SELECT ${COLUMNS} FROM imagery_rechecks WHERE polygon_id = $1 AND ${scope.where('jurisdiction_code', params)} ORDER BY id DESC`,
    params,
  );
  return rows.map(IMAGERY_RECHECKS.read);
}

export async function getRecheck(
  q: Queryable,
  scope: Scope,
  id: number,
): Promise<ImageryRecheck | null> {
  const params: unknown[] = [id];
  const rows = await q.query<Row>(
    `SELECT ${COLUMNS} FROM imagery_rechecks WHERE id = $1 AND ${scope.where('jurisdiction_code', params)}`,
    params,
  );
  return rows[0] ? IMAGERY_RECHECKS.read(rows[0]) : null;
}
