import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ACTIONS, describeLifecycle } from '../../cases/index.ts';
import {
  AvailableAction,
  CaseState,
  ConfiguredChoices,
  LifecycleTransition,
  Notification,
  Publication,
  SpotCheck,
  Trigger,
} from '../../contract/views.ts';
import { principalOf, requireRole } from '../guards.ts';
import { ErrorBody } from '../schemas.ts';
import { paged, pageQuery, pageRequest, readPage } from '../paging.ts';

/**
 * Notices per inbox page. A request without cursor or limit gets the newest 200, what the
 * inbox read before it was paged (the office and field apps show that first page).
 */
const INBOX_PAGE = { cap: 500, dflt: 200 };

const Id = z.object({ id: z.coerce.number().int().positive() });
const Period = z.string().regex(/^\d{4}-\d{2}$/, 'a monitoring period like 2026-11');

/**
 * The enforcement lifecycle over HTTP: actions on one 图斑 (the state machine decides who may
 * do what), dispatch of a period, inboxes, spot checks, publication and the public notice list.
 */
export const caseRoutes: FastifyPluginAsyncZod = async (app) => {
  const { cases, inbox } = app.services;

  app.get(
    '/api/lifecycle',
    {
      schema: {
        tags: ['cases'],
        summary: 'The state machine as data: actions, from, to, roles',
        response: { 200: z.object({ transitions: z.array(LifecycleTransition) }) },
      },
    },
    async () => ({ transitions: describeLifecycle() }),
  );

  app.get(
    '/api/polygons/:id/actions',
    {
      schema: {
        tags: ['cases'],
        summary: 'The case state and the actions I may take now (with input schemas)',
        params: Id,
        response: {
          200: z.object({
            state: CaseState,
            actions: z.array(AvailableAction),
            choices: ConfiguredChoices,
          }),
          404: ErrorBody,
        },
      },
    },
    async (req) => cases.actions(principalOf(req), req.params.id),
  );

  app.post(
    '/api/polygons/:id/transitions',
    {
      schema: {
        tags: ['cases'],
        summary:
          'Take an action on a 图斑; input.version must be the version you saw (409 when stale)',
        params: Id,
        body: z.object({
          action: z.enum(ACTIONS as [string, ...string[]]),
          input: z.record(z.string(), z.unknown()),
        }),
        response: {
          200: z.object({ state: CaseState, triggers: z.array(Trigger) }),
          400: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
          409: ErrorBody,
        },
      },
    },
    async (req) => cases.act(principalOf(req), req.params.id, req.body.action, req.body.input),
  );

  app.post(
    '/api/dispatch',
    {
      schema: {
        tags: ['cases'],
        summary: 'Push (下发) a period’s analysed 图斑 to their responsible units',
        body: z.object({ period: Period, ids: z.array(z.number().int().positive()).optional() }),
        response: {
          200: z.object({
            pushed: z.array(z.number()),
            refused: z.array(z.object({ id: z.number(), code: z.string(), message: z.string() })),
          }),
          403: ErrorBody,
        },
      },
    },
    async (req) => {
      const p = requireRole(req, 'province_monitor', 'city_reviewer', 'county_officer', 'admin');
      return cases.pushPeriod(p, req.body.period, { ids: req.body.ids });
    },
  );

  app.get(
    '/api/inbox',
    {
      schema: {
        tags: ['cases'],
        summary: 'My inbox: notices to me and to my unit, newest first, a page at a time',
        querystring: z
          .object({
            unread: z.enum(['true', 'false']).default('false'),
            ...pageQuery(INBOX_PAGE),
          })
          .omit({ total: true }),
        response: { 200: paged(Notification), 400: ErrorBody },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const { limit, after } = pageRequest('inbox', req.query, INBOX_PAGE.cap, [
        'string',
        'number',
      ]);
      return readPage(
        'inbox',
        limit,
        (n) => inbox.list(p, { unreadOnly: req.query.unread === 'true', limit: n, after }),
        (m) => [new Date(m.createdAt).toISOString(), m.id],
      );
    },
  );

  app.post(
    '/api/inbox/read',
    {
      schema: {
        tags: ['cases'],
        summary: 'Mark notices read',
        body: z.object({ ids: z.array(z.number().int().positive()).min(1) }),
        response: { 200: z.object({ marked: z.number() }) },
      },
    },
    async (req) => ({
      marked: await inbox.markRead(principalOf(req), req.body.ids),
    }),
  );

  app.post(
    '/api/spot-checks',
    {
      schema: {
        tags: ['cases'],
        summary:
          'Draw a reproducible stratified spot check (by county and verdict) of a period’s verdicts',
        body: z.object({
          period: Period,
          rate: z.number().gt(0).max(1),
          minPerStratum: z.number().int().min(0).default(1),
          seed: z.string().min(8).optional(),
        }),
        response: {
          201: z.object({ id: z.number(), sample: SpotCheck.shape.sample }),
          403: ErrorBody,
        },
      },
    },
    async (req, reply) => {
      const p = requireRole(req, 'supervisor', 'city_reviewer', 'province_monitor', 'admin');
      const seed = req.body.seed ?? crypto.randomUUID();
      const out = await cases.spotCheck(p, req.body.period, {
        rate: req.body.rate,
        minPerStratum: req.body.minPerStratum,
        seed,
      });
      return reply.status(201).send(out);
    },
  );

  app.get(
    '/api/spot-checks/:id',
    {
      schema: {
        tags: ['cases'],
        summary: 'A stored spot check with its seed and sample',
        params: Id,
        response: { 200: SpotCheck, 404: ErrorBody },
      },
    },
    async (req) => cases.spotCheckOf(principalOf(req), req.params.id),
  );

  app.post(
    '/api/polygons/:id/publish',
    {
      schema: {
        tags: ['cases'],
        summary: 'Publish a closed case (执法公示), personal data masked',
        params: Id,
        response: { 200: z.object({ published: z.boolean() }), 403: ErrorBody, 409: ErrorBody },
      },
    },
    async (req) => {
      const p = requireRole(req, 'county_officer', 'city_reviewer', 'admin');
      await cases.publish(p, req.params.id);
      return { published: true };
    },
  );

  app.get(
    '/api/public/cases',
    {
      schema: {
        tags: ['public'],
        summary: '执法公示: published closed cases, personal data masked (no login)',
        security: [],
        querystring: z.object({
          jurisdiction: z
            .string()
            .regex(/^\d{2,12}$/)
            .optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: z.object({ total: z.number(), items: z.array(Publication) }) },
      },
    },
    async (req) => ({
      total: await cases.publicationCount(req.query.jurisdiction),
      items: await cases.publications({
        jurisdictionPrefix: req.query.jurisdiction,
        limit: req.query.limit,
        offset: req.query.offset,
      }),
    }),
  );

  app.post(
    '/api/deadlines/scan',
    {
      schema: {
        tags: ['cases'],
        summary: 'Run the deadline scan now (reminders, escalations); idempotent',
        response: {
          200: z.object({
            reminders: z.number(),
            escalations: z.number(),
            overdue: z.number(),
            counts: z.record(z.string(), z.unknown()),
          }),
          403: ErrorBody,
        },
      },
    },
    async (req) => {
      requireRole(req, 'admin', 'province_monitor');
      const r = await cases.scanDeadlines();
      return {
        reminders: r.reminders.length,
        escalations: r.escalations.length,
        overdue: r.overdue.length,
        counts: r.counts,
      };
    },
  );
};
