import { GengbaoError } from '../errors.ts';
import type { Db } from '../store/db.ts';
import { getJob, type JobRecord } from '../store/jobs.ts';
import type { Scope } from '../store/scope.ts';
import type { Principal, Role } from '../store/users.ts';

/** Who submits a job: its scope is the job's scope, its user the job's actor, its role who may. */
export interface JobSubmission {
  scope: Scope;
  jurisdictionCode: string;
  userId: number | null;
  role?: Role;
}

/** What the services need of a job runner: both runners (embedded, pg-boss) are one. */
export interface JobSubmitter {
  readonly kind: 'embedded' | 'pg-boss';
  submit(by: JobSubmission, type: string, payload: Record<string, unknown>): Promise<JobRecord>;
}

/**
 * Heavy work handed to the job runner. The runner executes jobs with the services, so it is
 * started after them and connected here; a process with no runner (a CLI command, a worker)
 * refuses submissions.
 */
export class JobService {
  private runner: JobSubmitter | null = null;

  constructor(private readonly db: Db) {}

  connect(runner: JobSubmitter): void {
    this.runner = runner;
  }

  /** The runner's kind, or null in a process that runs none. */
  get kind(): JobSubmitter['kind'] | null {
    return this.runner?.kind ?? null;
  }

  /** Submits a job in the caller's name and scope; the payload is validated before it is stored. */
  submit(p: Principal, type: string, payload: Record<string, unknown>): Promise<JobRecord> {
    if (!this.runner) throw new GengbaoError('internal', 'this process runs no job runner');
    return this.runner.submit(
      { scope: p.scope, jurisdictionCode: p.jurisdictionCode, userId: p.id, role: p.role },
      type,
      payload,
    );
  }

  /**
   * Runs a failed job again as a new job with the same payload, in the caller's name: the
   * type's roles and the imagery allow-list are checked again, as for any submission. The
   * failed job stays as it was (its error is the record of what happened).
   */
  async retry(p: Principal, id: string): Promise<JobRecord> {
    const job = await getJob(this.db, p.scope, id);
    if (!job) throw new GengbaoError('not_found', `no job ${id} in your scope`, { field: 'id' });
    if (job.status !== 'failed')
      throw new GengbaoError(
        'conflict',
        `任务 ${id} 状态为 ${job.status}，只能重试失败的任务 / job ${id} is ${job.status}; only failed jobs can be retried`,
        { field: 'id' },
      );
    return this.submit(p, job.type, job.payload);
  }
}
