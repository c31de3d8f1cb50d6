import type { Queryable } from './db.ts';
import { after, type KeyValue } from './keyset.ts';
import { JOBS } from './rows/jobs.ts';
import type { Scope } from './scope.ts';
import type { RecordOf, Row } from './table.ts';

export type { JobStatus } from './rows/jobs.ts';

export type JobRecord = RecordOf<typeof JOBS.columns>;

const toJob = (r: Row): JobRecord => JOBS.read(r);
const COLUMNS = JOBS.select();

export async function insertJob(
  q: Queryable,
  scope: Scope,
  j: {
    id: string;
    type: string;
    payload: Record<string, unknown>;
    jurisdictionCode: string;
    createdBy: number | null;
  },
): Promise<void> {
  scope.assertCovers(j.jurisdictionCode, `job ${j.type}`);
  await q.query(
    `INSERT INTO jobs (id, type, status, payload, jurisdiction_code, scope_prefix, created_by) VALUES ($1, $2, 'queued', $3::jsonb, $4, $5, $6)`,
    [j.id, j.type, JSON.stringify(j.payload), j.jurisdictionCode, scope.prefix, j.createdBy],
  );
}

export async function getJob(q: Queryable, scope: Scope, id: string): Promise<JobRecord | null> {
  const params: unknown[] = [id];
  const rows = await q.query<Row>(
    `SELECT ${COLUMNS} FROM jobs WHERE id = $1 AND ${scope.where('jurisdiction_code', params)}`,
    params,
  );
  return rows[0] ? toJob(rows[0]) : null;
}

/**
 * Jobs in the scope, newest first. Ordered by creation to the millisecond (what a JS Date
 * holds, so a page's last `createdAt` is an exact keyset key) and the id; `after` is that key.
 */
export async function listJobs(
  q: Queryable,
  scope: Scope,
  limit = 100,
  afterKey?: KeyValue[],
): Promise<JobRecord[]> {
  const params: unknown[] = [];
  const where = [scope.where('jurisdiction_code', params)];
  if (afterKey)
    where.push(
      after([`date_trunc('milliseconds', created_at)`, 'id'], afterKey, params, {
        desc: true,
        casts: ['timestamptz', 'uuid'],
      }),
    );
  const rows = await q.query<Row>(
    `SELECT ${COLUMNS} FROM jobs WHERE ${where.join(' AND ')} ORDER BY date_trunc('milliseconds', created_at) DESC, id DESC LIMIT ${Math.min(limit, 1001)}`,
    params,
  );
  return rows.map(toJob);
}

/** Runner-side updates: the runner acts for the job's creator, whose scope was checked at submit. */
/** Claims a queued job for this worker; false when another runner got it first. */
export async function claimJob(q: Queryable, id: string, worker: string): Promise<boolean> {
  const rows = await q.query(
    `UPDATE jobs SET status = 'running', started_at = now(), heartbeat_at = now(), worker = $2 WHERE id = $1 AND status = 'queued' RETURNING id`,
    [id, worker],
  );
  return rows.length === 1;
}

/** Queued jobs, oldest first (the embedded runner resumes them after a restart). */
export async function queuedJobIds(q: Queryable): Promise<string[]> {
  const rows = await q.query<{ id: string }>(
    `SELECT id FROM jobs WHERE status = 'queued' ORDER BY created_at`,
  );
  return rows.map((r) => r.id);
}

/** Jobs left running by a process that died: they fail with a clear reason, not hang forever. */
export async function failInterruptedJobs(q: Queryable): Promise<number> {
  const rows = await q.query(
    `UPDATE jobs SET status = 'failed', finished_at = now(),
       error = '{"code":"internal","message":"interrupted: the process running this job stopped; submit it again"}'::jsonb
     WHERE status = 'running' RETURNING id`,
  );
  return rows.length;
}

/** A running job's worker is alive: it stamps this every few seconds while the job runs. */
export async function beatJob(q: Queryable, id: string): Promise<void> {
  await q.query(`UPDATE jobs SET heartbeat_at = now() WHERE id = $1 AND status = 'running'`, [id]);
}

/**
 * Running jobs whose worker went silent for `silentMs` (killed, machine lost) fail with the
 * reason and can be retried; returns their ids. Safe to run from every process at once.
 */
export async function failDeadJobs(q: Queryable, silentMs: number): Promise<string[]> {
  const rows = await q.query<{ id: string }>(
    `UPDATE jobs SET status = 'failed', finished_at = now(),
       error = jsonb_build_object('code', 'internal', 'message',
         '执行任务的进程已停止响应（' || coalesce(worker, '?') || ' 最后心跳于 ' || to_char(coalesce(heartbeat_at, started_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || '），请重试 / ' ||
         'the worker running this job stopped responding (' || coalesce(worker, '?') || ', last heartbeat ' || to_char(coalesce(heartbeat_at, started_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || '); retry it')
     WHERE status = 'running' AND coalesce(heartbeat_at, started_at) < now() - make_interval(secs => $1::double precision)
     RETURNING id`,
    [silentMs / 1000],
  );
  return rows.map((r) => r.id);
}

export async function setJobProgress(
  q: Queryable,
  id: string,
  progress: number,
  message?: string,
): Promise<void> {
  await q.query('UPDATE jobs SET progress = $2, message = coalesce($3, message) WHERE id = $1', [
    id,
    Math.max(0, Math.min(1, progress)),
    message ?? null,
  ]);
}

export async function finishJob(
  q: Queryable,
  id: string,
  outcome: { result?: unknown; error?: { code: string; message: string } },
): Promise<void> {
  await q.query(
    `UPDATE jobs SET status = $2, progress = CASE WHEN $2 = 'succeeded' THEN 1 ELSE progress END,
       result = $3::jsonb, error = $4::jsonb, finished_at = now() WHERE id = $1`,
    [
      id,
      outcome.error ? 'failed' : 'succeeded',
      outcome.result === undefined ? null : JSON.stringify(outcome.result),
      outcome.error ? JSON.stringify(outcome.error) : null,
    ],
  );
}

/** Loads a job row for the runner (unscoped: runners serve every jurisdiction). */
export async function loadJobForRunner(q: Queryable, id: string): Promise<JobRecord | null> {
  const rows = await q.query<Row>(`SELECT ${COLUMNS} FROM jobs WHERE id = $1`, [id]);
  return rows[0] ? toJob(rows[0]) : null;
}
