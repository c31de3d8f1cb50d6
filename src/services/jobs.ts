import { GengbaoError } from '../errors.ts';
import type { JobRecord } from '../store/jobs.ts';
import type { Scope } from '../store/scope.ts';
import type { Principal } from '../store/users.ts';

/** Who submits a job: its scope is the job's scope, its user the job's actor. */
export interface JobSubmission {
  scope: Scope;
  jurisdictionCode: string;
  userId: number | null;
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
      { scope: p.scope, jurisdictionCode: p.jurisdictionCode, userId: p.id },
      type,
      payload,
    );
  }
}
