import type { z } from 'zod';
import type { Db } from '../store/db.ts';
import type { Scope } from '../store/scope.ts';
import type { ThreadPool } from '../threads/pool.ts';

/** What a running job may use. The scope is the submitter's: a job sees what they see. */
export interface JobContext {
  jobId: string;
  db: Db;
  scope: Scope;
  actorId: number | null;
  threads: ThreadPool;
  /** Where this installation keeps files (imagery, evidence chips): GENGBAO_DATA_DIR. */
  dataDir: string;
  /** Reports progress in [0, 1]; stored so the API and UI can show it. */
  progress(fraction: number, message?: string): Promise<void>;
}

/** One kind of job: validated payload in, JSON result out. */
export interface JobDefinition<P extends z.ZodType = z.ZodType> {
  type: string;
  description: string;
  payload: P;
  run(ctx: JobContext, payload: z.infer<P>): Promise<unknown>;
}

/** Declares a job with its payload type inferred from the schema. */
export function defineJob<P extends z.ZodType>(def: JobDefinition<P>): JobDefinition {
  return def as unknown as JobDefinition;
}
