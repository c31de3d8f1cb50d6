import { isGengbaoError } from '../errors.ts';
import type { Services } from '../services/container.ts';
import type { Db } from '../store/db.ts';
import { claimJob, finishJob, loadJobForRunner, setJobProgress } from '../store/jobs.ts';
import { Scope } from '../store/scope.ts';
import { DEFAULT_HEARTBEAT_MS, keepAlive } from './heartbeat.ts';
import { redactPaths } from './redact.ts';
import { findJobDefinition, parseJobPayload } from './registry.ts';
import type { ThreadPool } from '../threads/pool.ts';

/**
 * Runs one stored job to completion, whichever runner delivered it: claim, validate the
 * payload, run with progress reporting and a heartbeat (so a dead worker's job is found),
 * store the result or the error. The stored error has server paths cut to their last part;
 * the full one goes to the log. Returns false when another runner had already claimed it.
 */
export async function executeJob(
  db: Db,
  services: Services,
  threads: ThreadPool,
  jobId: string,
  worker: string,
  opts: { heartbeatMs?: number; log?: (message: string) => void } = {},
): Promise<boolean> {
  if (!(await claimJob(db, jobId, worker))) return false;
  const stopBeating = keepAlive(db, jobId, opts.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
  const job = (await loadJobForRunner(db, jobId))!;
  try {
    const def = findJobDefinition(job.type);
    const payload = parseJobPayload(def, job.payload);
    const result = await def.run(
      {
        jobId,
        scope: new Scope(job.scopePrefix),
        actorId: job.createdBy,
        threads,
        services,
        progress: (fraction, message) => setJobProgress(db, jobId, fraction, message),
      },
      payload,
    );
    await finishJob(db, jobId, { result: result ?? null });
  } catch (e) {
    const error = isGengbaoError(e)
      ? { code: e.code, message: e.message }
      : { code: 'internal', message: (e as Error).message ?? String(e) };
    (opts.log ?? console.error)(
      `job ${jobId} (${job.type}) failed: ${error.code}: ${error.message}`,
    );
    await finishJob(db, jobId, {
      error: { code: error.code, message: redactPaths(error.message) },
    });
  } finally {
    stopBeating();
  }
  return true;
}
