import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  IntakeFile,
  MonitoringRun,
  NewSubscription,
  Subscription,
  WebhookDelivery,
} from '../../contract/monitoring-views.ts';
import { items } from '../../contract/views.ts';
import { SUBSCRIPTION_EVENTS } from '../../services/notices.ts';
import { principalOf, requireRole } from '../guards.ts';
import { ErrorBody, Ok } from '../schemas.ts';
import { recheckRoutes } from './rechecks.ts';

const Limit = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });

/**
 * The monitoring loop over HTTP: what the intake took in or refused and why, the scheduled runs
 * with the stage each reached (their jobs' progress is at /api/jobs), the unread count of my
 * inbox, and my area subscriptions with their webhook deliveries.
 */
export const monitoringRoutes: FastifyPluginAsyncZod = async (app) => {
  const { intake, monitoring, notices } = app.services;

  app.get(
    '/api/inbox/unread',
    {
      schema: {
        tags: ['cases'],
        summary: 'How many notices in my inbox are unread',
        response: { 200: z.object({ count: z.number() }) },
      },
    },
    async (req) => ({
      count: await notices.unread(principalOf(req)),
    }),
  );

  app.get(
    '/api/monitoring/intake',
    {
      schema: {
        tags: ['monitoring'],
        summary: 'Files the scene intake registered, found duplicate or refused (with the reason)',
        querystring: Limit,
        response: { 200: items(IntakeFile), 403: ErrorBody },
      },
    },
    async (req) => {
      const p = requireRole(
        req,
        'admin',
        'province_monitor',
        'city_reviewer',
        'county_officer',
        'supervisor',
      );
      return { items: await intake.list(p, req.query.limit) };
    },
  );

  app.get(
    '/api/monitoring/runs',
    {
      schema: {
        tags: ['monitoring'],
        summary:
          'Scheduled monitoring runs (detect → 套合 → 下发) in my jurisdiction, with their stage',
        querystring: Limit,
        response: { 200: items(MonitoringRun), 403: ErrorBody },
      },
    },
    async (req) => {
      const p = requireRole(
        req,
        'admin',
        'province_monitor',
        'city_reviewer',
        'county_officer',
        'supervisor',
      );
      return { items: await monitoring.list(p, req.query.limit) };
    },
  );

  app.get(
    '/api/subscriptions',
    {
      schema: {
        tags: ['monitoring'],
        summary: 'My area subscriptions',
        response: { 200: items(Subscription) },
      },
    },
    async (req) => ({
      items: await notices.subscriptions(principalOf(req)),
    }),
  );

  app.post(
    '/api/subscriptions',
    {
      schema: {
        tags: ['monitoring'],
        summary:
          'Subscribe to events inside an area (drawn or uploaded); a webhook URL only on an origin the administrator allowed',
        body: z.object({
          name: z.string().trim().min(1).max(100),
          geometry: z.record(z.string(), z.unknown()),
          events: z.array(z.enum(SUBSCRIPTION_EVENTS)).min(1),
          webhookUrl: z.string().max(2000).optional(),
        }),
        response: { 201: NewSubscription, 400: ErrorBody, 403: ErrorBody, 409: ErrorBody },
      },
    },
    async (req, reply) => {
      const sub = await notices.subscribe(principalOf(req), req.body);
      return reply.code(201).send(sub);
    },
  );

  app.delete(
    '/api/subscriptions/:id',
    {
      schema: {
        tags: ['monitoring'],
        summary: 'Delete one of my subscriptions',
        params: z.object({ id: z.coerce.number().int().positive() }),
        response: { 200: Ok, 404: ErrorBody },
      },
    },
    async (req) => {
      await notices.unsubscribe(principalOf(req), req.params.id);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/subscriptions/deliveries',
    {
      schema: {
        tags: ['monitoring'],
        summary: 'Webhook deliveries of my subscriptions: status, attempts, last error',
        response: { 200: items(WebhookDelivery) },
      },
    },
    async (req) => ({
      items: await notices.deliveries(principalOf(req)),
    }),
  );

  // Re-checks of rectification on later imagery: part of the loop, in a file of their own.
  await app.register(recheckRoutes);
};
