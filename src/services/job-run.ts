import { GengbaoError } from '../errors.ts';
import type { Db } from '../store/db.ts';
import type { Scope } from '../store/scope.ts';
import { getUserById, principalOf, type Principal } from '../store/users.ts';

/**
 * What a use case run as a job gets from its runner: the job, the submitter's scope (a job
 * sees what its submitter sees) and user, and a progress reporter the API and UI show.
 */
export interface JobRun {
  jobId: string;
  scope: Scope;
  actorId: number | null;
  progress(fraction: number, message?: string): Promise<void>;
}

/** The submitting user as a principal: lifecycle actions of a job are taken in their name. */
export async function submitterOf(db: Db, run: JobRun, what: string): Promise<Principal> {
  const user = run.actorId ? await getUserById(db, run.actorId) : null;
  if (!user) throw new GengbaoError('forbidden', `${what} needs a submitting user`);
  return principalOf(user);
}
