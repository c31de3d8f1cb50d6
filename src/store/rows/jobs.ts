import { z } from 'zod';
import { JOB_STATUSES, type JobStatus } from '../../contract/vocabulary.ts';
import { col, defineTable } from '../table.ts';

export { JOB_STATUSES, type JobStatus };

export const JOBS = defineTable('jobs', {
  id: col.text('id'),
  type: col.text('type'),
  status: col.text('status').described(z.enum(JOB_STATUSES)),
  progress: col.float('progress'),
  message: col.text('message').orNull(),
  payload: col.json<Record<string, unknown>>('payload'),
  result: col.json<unknown>('result').orNull(),
  error: col.json<{ code: string; message: string }>('error').orNull(),
  jurisdictionCode: col.text('jurisdiction_code'),
  scopePrefix: col.text('scope_prefix'),
  createdBy: col.int('created_by').orNull(),
  worker: col.text('worker').orNull(),
  createdAt: col.time('created_at'),
  startedAt: col.time('started_at').orNull(),
  finishedAt: col.time('finished_at').orNull(),
  /** Last sign of life of the worker running it (migration 006); a silent one is failed. */
  heartbeatAt: col.time('heartbeat_at').orNull(),
});
