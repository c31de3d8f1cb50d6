import type { Db } from '../store/db.ts';
import { beatJob, failDeadJobs } from '../store/jobs.ts';

/** Default seconds between heartbeats (GENGBAO_JOB_HEARTBEAT_SECONDS). */
export const DEFAULT_HEARTBEAT_MS = 10_000;
/** Heartbeats a job may miss before its worker counts as dead: a busy event loop is not death. */
export const MISSED_BEATS = 6;

/** Stamps a running job's heartbeat every `everyMs` until the returned stop is called. */
export function keepAlive(db: Db, jobId: string, everyMs: number): () => void {
  const timer = setInterval(() => void beatJob(db, jobId).catch(() => {}), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Fails running jobs whose worker stopped beating, every `heartbeatMs`: run by the server and
 * by every worker of the queue, so a dead worker's job is found while anyone is up.
 */
export function startDeadJobSweep(
  db: Db,
  heartbeatMs: number,
  log: (ids: string[]) => void = () => {},
): () => void {
  const sweep = () =>
    void failDeadJobs(db, heartbeatMs * MISSED_BEATS)
      .then((ids) => ids.length && log(ids))
      .catch(() => {});
  const timer = setInterval(sweep, heartbeatMs);
  timer.unref();
  sweep();
  return () => clearInterval(timer);
}
