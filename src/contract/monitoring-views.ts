/**
 * Reply shapes of the monitoring loop (issue 24): the intake log, scheduled runs, area
 * subscriptions and their webhook deliveries — from their row declarations. Pure zod.
 */
import { z } from 'zod';
import {
  INTAKE_FILES,
  MONITORING_RUNS,
  SUBSCRIPTIONS,
  WEBHOOK_DELIVERIES,
} from '../store/rows/monitoring.ts';

export const IntakeFile = INTAKE_FILES.schema;
export const MonitoringRun = MONITORING_RUNS.schema;
export const Subscription = SUBSCRIPTIONS.schema;
/** A new subscription: its webhook's signing secret is shown this once. */
export const NewSubscription = SUBSCRIPTIONS.schema.extend({
  webhookSecret: z.string().optional(),
});
export const WebhookDelivery = WEBHOOK_DELIVERIES.schema;
