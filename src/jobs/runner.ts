import { randomUUID } from 'node:crypto';
import type { Db } from '../store/db.ts';
import { getJob, insertJob, type JobRecord } from '../store/jobs.ts';
import type { Scope } from '../store/scope.ts';
import { findJobDefinition, parseJobPayload } from './registry.ts';

export interface Submitter {
  scope: Scope;
  jurisdictionCode: string;
  userId: number | null;
}

/** One job interface, two runners: in-process (embedded) and pg-boss (server + workers). */
export interface JobRunner {
  readonly kind: 'embedded' | 'pg-boss';
  submit(by: Submitter, type: string, payload: Record<string, unknown>): Promise<JobRecord>;
  stop(): Promise<void>;
}

/** Validates and stores a new job row; the runner then delivers its id. */
export async function createJobRow(db: Db, by: Submitter, type: string, payload: Record<string, unknown>): Promise<string> {
  const parsed = parseJobPayload(findJobDefinition(type), payload);
  const id = randomUUID();
  await insertJob(db, by.scope, { id, type, payload: parsed, jurisdictionCode: by.jurisdictionCode, createdBy: by.userId });
  return id;
}

export async function readBack(db: Db, by: Submitter, id: string): Promise<JobRecord> {
  return (await getJob(db, by.scope, id))!;
}
