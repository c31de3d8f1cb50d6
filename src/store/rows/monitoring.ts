import { col, defineTable } from '../table.ts';

/** A file the scene intake looked at, and what became of it. */
export const INTAKE_FILES = defineTable('intake_files', {
  id: col.int('id'),
  name: col.text('name'),
  contentHash: col.text('content_hash'),
  size: col.int('size'),
  status: col.text('status'),
  reason: col.text('reason').orNull(),
  imageryId: col.int('imagery_id').orNull(),
  jurisdictionCode: col.text('jurisdiction_code').orNull(),
  acquiredOn: col.day('acquired_on').orNull(),
  sensor: col.text('sensor').orNull(),
  seenAt: col.time('seen_at'),
});

/** A scheduled monitoring run (detect → 套合 → 下发) of one unit, sensor and period. */
export const MONITORING_RUNS = defineTable('monitoring_runs', {
  id: col.int('id'),
  jurisdictionCode: col.text('jurisdiction_code'),
  sensor: col.text('sensor'),
  period: col.text('period'),
  runKey: col.text('run_key'),
  beforeImagery: col.int('before_imagery'),
  afterImagery: col.int('after_imagery'),
  actorId: col.int('actor_id').orNull(),
  jobId: col.text('job_id').orNull(),
  attempts: col.int('attempts'),
  stage: col.text('stage'),
  detectJob: col.text('detect_job').orNull(),
  stages: col.json<Record<string, unknown>>('stages').or(() => ({})),
  error: col.text('error').orNull(),
  createdAt: col.time('created_at'),
  updatedAt: col.time('updated_at'),
});

/** An area of interest of one user, with the events they want and an optional webhook. */
export const SUBSCRIPTIONS = defineTable('subscriptions', {
  id: col.int('id'),
  userId: col.int('user_id'),
  jurisdictionCode: col.text('jurisdiction_code'),
  name: col.text('name'),
  geometry: col.json<{ type: string }>('geometry').orNull().whenAsked(),
  bbox: col.box('bbox').orNull(),
  events: col.json<string[]>('events'),
  webhookUrl: col.text('webhook_url').orNull(),
  createdAt: col.time('created_at'),
});

/** One outbound webhook: (event, subscriber) once; retries update it. */
export const WEBHOOK_DELIVERIES = defineTable('webhook_deliveries', {
  id: col.int('id'),
  subscriptionId: col.int('subscription_id'),
  eventKey: col.text('event_key'),
  url: col.text('url'),
  body: col.json<Record<string, unknown>>('body'),
  status: col.text('status'),
  attempts: col.int('attempts'),
  nextAt: col.time('next_at'),
  lastError: col.text('last_error').orNull(),
  deliveredAt: col.time('delivered_at').orNull(),
});
