import { randomUUID } from 'node:crypto';
import type { Db } from '../store/db.ts';
import { getJob, insertJob, type JobRecord } from '../store/jobs.ts';
import type { Scope } from '../store/scope.ts';
import type { Role } from '../store/users.ts';
import { assertMaySubmit, findJobDefinition, parseJobPayload } from './registry.ts';
import type { JobPolicy } from './types.ts';

export interface Submitter {
  scope: Scope;
  jurisdictionCode: string;
  userId: number | null;
  /** The submitter's role, checked against the type's roles; absent: the system itself. */
  role?: Role;
}

/** One job interface, two runners: in-process (embedded) and pg-boss (server + workers). */
export interface JobRunner {
  readonly kind: 'embedded' | 'pg-boss';
  submit(by: Submitter, type: string, payload: Record<string, unknown>): Promise<JobRecord>;
  stop(): Promise<void>;
}

/**
 * Checks who submits (the type's roles), validates the payload and admits it under the
 * installation's policy — all before anything is stored, read or fetched — then stores the
 * new job row; the runner then delivers its id.
 */
export async function createJobRow(
  db: Db,
  by: Submitter,
  type: string,
  payload: Record<string, unknown>,
  policy: JobPolicy,
): Promise<string> {
  const def = findJobDefinition(type);
  assertMaySubmit(def, by.role);
  const parsed = parseJobPayload(def, payload);
  def.admit?.(parsed, policy);
  const id = randomUUID();
  await insertJob(db, by.scope, {
    id,
    type,
    payload: parsed,
    jurisdictionCode: by.jurisdictionCode,
    createdBy: by.userId,
  });
  return id;
}

export async function readBack(db: Db, by: Submitter, id: string): Promise<JobRecord> {
  return (await getJob(db, by.scope, id))!;
}
