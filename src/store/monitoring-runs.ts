import type { Queryable } from './db.ts';
import type { ImageryRecord } from './imagery.ts';
import { IMAGERY } from './rows/imagery.ts';
import { MONITORING_RUNS } from './rows/monitoring.ts';
import type { Scope } from './scope.ts';
import type { RecordOf, Row } from './table.ts';

export type MonitoringRun = RecordOf<typeof MONITORING_RUNS.columns>;
export type RunStage = 'queued' | 'detecting' | 'detected' | 'analysed' | 'done' | 'refused';

const COLUMNS = MONITORING_RUNS.select();

/** Scenes that carry a sensor (the intake, or an import that named one): the scheduler's candidates. */
export async function scenesWithSensor(q: Queryable): Promise<ImageryRecord[]> {
  const rows = await q.query<Row>(
    `SELECT ${IMAGERY.select()} FROM imagery WHERE meta ? 'sensor' AND acquired_on IS NOT NULL ORDER BY acquired_on, id`,
  );
  return rows.map(IMAGERY.read);
}

/** Run keys already taken, as `unit|sensor|key`. */
export async function takenRunKeys(q: Queryable): Promise<Set<string>> {
  const rows = await q.query<{ k: string }>(
    `SELECT jurisdiction_code || '|' || sensor || '|' || run_key AS k FROM monitoring_runs`,
  );
  return new Set(rows.map((r) => r.k));
}

/**
 * Claims a run: the unique (unit, sensor, run key) makes it once however many processes try;
 * null when it was already claimed.
 */
export async function claimRun(
  q: Queryable,
  r: {
    jurisdictionCode: string;
    sensor: string;
    period: string;
    runKey: string;
    beforeImagery: number;
    afterImagery: number;
    actorId: number | null;
    stage?: RunStage;
    error?: string;
    at: Date;
  },
): Promise<MonitoringRun | null> {
  const rows = await q.query<Row>(
    `INSERT INTO monitoring_runs (jurisdiction_code, sensor, period, run_key, before_imagery, after_imagery, actor_id, stage, error, created_at, updated_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$10) ON CONFLICT (jurisdiction_code, sensor, run_key) DO NOTHING RETURNING ${COLUMNS}`,
    [
      r.jurisdictionCode,
      r.sensor,
      r.period,
      r.runKey,
      r.beforeImagery,
      r.afterImagery,
      r.actorId,
      r.stage ?? 'queued',
      r.error ?? null,
      r.at,
    ],
  );
  return rows[0] ? MONITORING_RUNS.read(rows[0]) : null;
}

/**
 * Hands a run to a job, compare-and-swap on the job it had: of two processes resubmitting a
 * failed run, one wins.
 */
export async function assignRunJob(
  q: Queryable,
  id: number,
  previousJob: string | null,
  jobId: string,
  at: Date,
): Promise<boolean> {
  const rows = await q.query(
    `UPDATE monitoring_runs SET job_id = $3, attempts = attempts + 1, updated_at = $4 WHERE id = $1 AND job_id IS NOT DISTINCT FROM $2 RETURNING id`,
    [id, previousJob, jobId, at],
  );
  return rows.length === 1;
}

/**
 * The job that runs a run takes it: when the run names this job, a placeholder the scheduler
 * set before submitting, nothing, or a job that failed (a retry). False: another live job has it.
 */
export async function takeRun(q: Queryable, id: number, jobId: string, at: Date): Promise<boolean> {
  const rows = await q.query(
    `UPDATE monitoring_runs SET job_id = $2, updated_at = $3 WHERE id = $1 AND (job_id IS NULL OR job_id = $2 OR job_id LIKE 'pending:%'
       OR job_id IN (SELECT id::text FROM jobs WHERE status = 'failed')) RETURNING id`,
    [id, jobId, at],
  );
  return rows.length === 1;
}

/** After submitting: the run names the job unless the job took it already. */
export async function settleRunJob(
  q: Queryable,
  id: number,
  placeholder: string,
  jobId: string,
): Promise<void> {
  await q.query(`UPDATE monitoring_runs SET job_id = $3 WHERE id = $1 AND job_id = $2`, [
    id,
    placeholder,
    jobId,
  ]);
}

/** Runs not done whose job is missing, or failed (a crash, a dead worker), with attempts left. */
export async function runsToResume(
  q: Queryable,
  maxAttempts: number,
  staleBefore: Date,
): Promise<MonitoringRun[]> {
  const rows = await q.query<Row>(
    `SELECT ${MONITORING_RUNS.select({ alias: 'r' })} FROM monitoring_runs r LEFT JOIN jobs j ON j.id::text = r.job_id
     WHERE r.stage NOT IN ('done', 'refused') AND r.attempts < $1
       AND (((r.job_id IS NULL OR r.job_id LIKE 'pending:%') AND r.updated_at < $2) OR j.status = 'failed')`,
    [maxAttempts, staleBefore],
  );
  return rows.map(MONITORING_RUNS.read);
}

export async function getRun(q: Queryable, id: number): Promise<MonitoringRun | null> {
  const rows = await q.query<Row>(`SELECT ${COLUMNS} FROM monitoring_runs WHERE id = $1`, [id]);
  return rows[0] ? MONITORING_RUNS.read(rows[0]) : null;
}

/** Records a stage reached, with what it said; `extra` sets detect_job or the error. */
export async function setRunStage(
  q: Queryable,
  id: number,
  stage: RunStage,
  at: Date,
  result?: { name: string; value: unknown },
  extra: { detectJob?: string; error?: string | null } = {},
): Promise<void> {
  await q.query(
    `UPDATE monitoring_runs SET stage = $2, updated_at = $3,
       stages = CASE WHEN $4::text IS NULL THEN stages ELSE stages || jsonb_build_object($4::text, $5::jsonb) END,
       detect_job = COALESCE($6, detect_job), error = CASE WHEN $7::boolean THEN $8 ELSE error END
     WHERE id = $1`,
    [
      id,
      stage,
      at,
      result?.name ?? null,
      JSON.stringify(result?.value ?? null),
      extra.detectJob ?? null,
      'error' in extra,
      extra.error ?? null,
    ],
  );
}

/** The runs in a scope, newest first. */
export async function listRuns(q: Queryable, scope: Scope, limit = 100): Promise<MonitoringRun[]> {
  const params: unknown[] = [];
  const rows = await q.query<Row>(
    `SELECT ${COLUMNS} FROM monitoring_runs WHERE ${scope.where('jurisdiction_code', params)} ORDER BY created_at DESC, id DESC LIMIT ${Math.min(limit, 500)}`,
    params,
  );
  return rows.map(MONITORING_RUNS.read);
}

/** Ids of the 图斑 a detection job stored (its properties carry the job). */
export async function polygonIdsOfJob(q: Queryable, jobId: string): Promise<number[]> {
  const rows = await q.query<{ id: number | string }>(
    `SELECT id FROM polygons WHERE properties ->> 'job' = $1 ORDER BY id`,
    [jobId],
  );
  return rows.map((r) => Number(r.id));
}

/** Active users who may take 套合 and 下发 (monitoring analysts, city reviewers): the candidates for a unit's monitoring account. */
export async function monitoringAccountIds(q: Queryable): Promise<number[]> {
  const rows = await q.query<{ id: number | string }>(
    `SELECT id FROM users WHERE NOT disabled AND role IN ('province_monitor', 'city_reviewer') ORDER BY id`,
  );
  return rows.map((r) => Number(r.id));
}
