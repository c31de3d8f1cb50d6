import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FieldSubmission, PatrolFinding, TrackPoint } from '../../field/schemas.ts';
import { binary } from '../../contract/binary.ts';
import {
  FieldTask,
  FindingResult,
  FlagStats,
  PatrolEnded,
  PatrolStarted,
  PatrolStats,
  PatrolTrack,
  PolygonEvidence,
  SubmissionResult,
  TaskPackage,
} from '../../contract/field-views.ts';
import { ErrorBody } from '../../contract/views.ts';
import { principalOf, requireRole } from '../guards.ts';
import { paged, pageQuery, pageRequest, readPage } from '../paging.ts';

/** Where `npm run build:field` puts the phone app. */
export const FIELD_DIST = fileURLToPath(new URL('../../../field/dist/', import.meta.url));

const FIELD_ROLES = ['village_chief', 'township_chief', 'county_officer'] as const;
const CHIEFS = ['village_chief', 'township_chief'] as const;
/** Tasks per page: a village has a handful, a county officer's whole county may have thousands. */
const TASK_PAGE = { cap: 500, dflt: 500 };
const Id = z.object({ id: z.coerce.number().int().positive() });

/**
 * Field work over HTTP: my tasks and their offline packages, verification submissions with
 * photo evidence (kept, hashed, checked, flagged), patrols, and the phone app itself at /field/.
 *
 * Photos travel as base64 inside one JSON document rather than multipart: a submission is one
 * atomic document that the phone queues in IndexedDB and replays as a whole, validated by the
 * same zod schema as every other route; the 4/3 size overhead is acceptable for a handful of
 * phone photos under the 50 MB body limit.
 */
export const fieldRoutes: FastifyPluginAsyncZod = async (app) => {
  const { field, fieldLeads: leads } = app.services;

  app.get(
    '/api/field/tasks',
    {
      schema: {
        tags: ['field'],
        summary:
          'My field tasks: pushed or returned 图斑 in my unit, with deadlines, a page at a time',
        querystring: z.object(pageQuery(TASK_PAGE)).omit({ total: true }),
        response: { 200: paged(FieldTask), 400: ErrorBody },
      },
    },
    async (req) => {
      const { limit, after } = pageRequest('field-tasks', req.query, TASK_PAGE.cap, ['number']);
      return readPage(
        'field-tasks',
        limit,
        (n) => field.tasks(principalOf(req), n, after?.[0] as number | undefined),
        (t) => [t.id],
      );
    },
  );

  app.get(
    '/api/field/package/:polygonId',
    {
      schema: {
        tags: ['field'],
        summary: 'Offline task package: polygon, figures, imagery chips, deadlines, form',
        params: z.object({ polygonId: z.coerce.number().int().positive() }),
        response: { 200: TaskPackage, 404: ErrorBody },
      },
    },
    async (req) => field.package(principalOf(req), req.params.polygonId),
  );

  app.post(
    '/api/field/submissions',
    {
      schema: {
        tags: ['field'],
        summary:
          'A field verification with photos (base64), hashed at capture; replays answer the first result',
        body: FieldSubmission,
        response: { 200: SubmissionResult, 400: ErrorBody, 403: ErrorBody, 409: ErrorBody },
      },
    },
    async (req) => field.submit(requireRole(req, ...FIELD_ROLES), req.body),
  );

  app.get(
    '/api/field/polygons/:id/evidence',
    {
      schema: {
        tags: ['field'],
        summary: 'Field evidence of a 图斑: submissions, photos, flags',
        params: Id,
        response: { 200: PolygonEvidence },
      },
    },
    async (req) => field.evidenceOf(principalOf(req), req.params.id),
  );

  app.get(
    '/api/field/evidence/:sha256',
    {
      schema: {
        tags: ['field'],
        summary: 'One photo original by its SHA-256',
        params: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256') }),
        response: {
          200: binary('the photo as taken', 'image/jpeg', 'image/png', 'image/webp', 'image/heic'),
          404: ErrorBody,
        },
      },
    },
    async (req, reply) => {
      const file = await field.evidenceFile(principalOf(req), req.params.sha256);
      return reply
        .type(file.mediaType)
        .header('cache-control', 'private, max-age=31536000, immutable')
        .send(file.bytes);
    },
  );

  app.get(
    '/api/field/flags',
    {
      schema: {
        tags: ['field'],
        summary: 'Evidence flags per county for a period (statistics)',
        querystring: z.object({
          period: z
            .string()
            .regex(/^\d{4}-\d{2}$/, 'a period like 2026-11')
            .optional(),
        }),
        response: { 200: FlagStats },
      },
    },
    async (req) => field.flagStats(principalOf(req), req.query.period),
  );

  app.post(
    '/api/patrols',
    {
      schema: {
        tags: ['patrols'],
        summary:
          'Start a patrol (巡田), at the phone time when started offline; a resent start answers the same patrol',
        body: z.object({ startedAt: z.iso.datetime({ offset: true }).optional() }).nullish(),
        response: { 200: PatrolStarted, 403: ErrorBody },
      },
    },
    async (req) => leads.startPatrol(requireRole(req, ...CHIEFS), req.body?.startedAt),
  );

  app.post(
    '/api/patrols/:id/points',
    {
      schema: {
        tags: ['patrols'],
        summary: 'Add track points (a resent batch is not doubled)',
        params: Id,
        body: z.object({ points: z.array(TrackPoint).min(1).max(5000) }),
        response: { 200: PatrolTrack, 403: ErrorBody, 409: ErrorBody },
      },
    },
    async (req) => leads.addPoints(requireRole(req, ...CHIEFS), req.params.id, req.body.points),
  );

  app.post(
    '/api/patrols/:id/end',
    {
      schema: {
        tags: ['patrols'],
        summary: 'End a patrol, with its last points (at the phone time when ended offline)',
        params: Id,
        body: z
          .object({
            points: z.array(TrackPoint).max(5000).default([]),
            endedAt: z.iso.datetime({ offset: true }).optional(),
          })
          .nullish(),
        response: { 200: PatrolEnded, 403: ErrorBody },
      },
    },
    async (req) =>
      leads.endPatrol(
        requireRole(req, ...CHIEFS),
        req.params.id,
        req.body?.points ?? [],
        req.body?.endedAt,
      ),
  );

  app.post(
    '/api/patrols/:id/findings',
    {
      schema: {
        tags: ['patrols'],
        summary: 'A building spotted on patrol → a new 图斑 of source patrol',
        params: Id,
        body: PatrolFinding,
        response: { 200: FindingResult, 400: ErrorBody, 403: ErrorBody },
      },
    },
    async (req) => leads.reportFinding(requireRole(req, ...CHIEFS), req.params.id, req.body),
  );

  app.get(
    '/api/patrols/stats',
    {
      schema: {
        tags: ['patrols'],
        summary: 'Patrol rate per chief per week in my scope',
        querystring: z.object({ weeks: z.coerce.number().int().min(1).max(52).default(4) }),
        response: { 200: PatrolStats },
      },
    },
    async (req) => leads.patrolStats(principalOf(req), req.query.weeks),
  );

  // The phone app (field/ → field/dist), its own scope so its service worker sees only /field/.
  if (existsSync(join(FIELD_DIST, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: FIELD_DIST,
      prefix: '/field/',
      decorateReply: false,
      setHeaders(res, path) {
        res.header(
          'cache-control',
          /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
        if (path.endsWith('sw.js')) res.header('service-worker-allowed', '/field/');
      },
    });
  } else {
    app.get('/field/', { schema: { hide: true } }, async (_req, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><meta charset="utf-8"><title>耕保 外业</title><p>The field app is not built. Run <code>npm run build:field</code>.</p>',
        ),
    );
  }
  app.get('/field', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/field/'));
};
