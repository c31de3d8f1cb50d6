import type { z } from 'zod';
import type { Services } from '../services/container.ts';
import type { ImageryAllowList } from '../services/imagery-allow.ts';
import type { JobRun } from '../services/job-run.ts';
import type { Role } from '../store/users.ts';
import type { ThreadPool } from '../threads/pool.ts';

/**
 * What a running job may use: the job itself (its scope is the submitter's, so a job sees what
 * they see; progress is stored so the API and UI can show it), the process's services, which
 * do the work, and the thread pool for the CPU-heavy parts.
 */
export interface JobContext extends JobRun {
  threads: ThreadPool;
  services: Services;
}

/** What a submission is checked against before it is stored: the installation's policy. */
export interface JobPolicy {
  /** Imagery folders and hosts an administrator allows (GENGBAO_IMAGERY_ALLOW). */
  imageryAllow: ImageryAllowList;
}

/** One kind of job: validated payload in, JSON result out. */
export interface JobDefinition<P extends z.ZodType = z.ZodType> {
  type: string;
  description: string;
  /** Who may submit it: a job acts with its submitter's reach, and some reach files and hosts. */
  roles: readonly Role[];
  payload: P;
  /**
   * Checks a parsed payload against the installation's policy at submission, with no file or
   * network access (so a refusal says nothing about what exists); throws to refuse.
   */
  admit?(payload: z.infer<P>, policy: JobPolicy): void;
  run(ctx: JobContext, payload: z.infer<P>): Promise<unknown>;
}

/** Declares a job with its payload type inferred from the schema. */
export function defineJob<P extends z.ZodType>(def: JobDefinition<P>): JobDefinition {
  return def as unknown as JobDefinition;
}
