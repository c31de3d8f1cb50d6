import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CameraEvent } from '../../field/schemas.ts';
import {
  Camera,
  CameraEvent as CameraEventView,
  ErrorBody,
  TriageResult,
} from '../../contract/views.ts';
import { LEAD_STATUSES } from '../../contract/vocabulary.ts';
import { principalOf, requireRole } from '../guards.ts';
import { paged, pageQuery, pageRequest, readPage } from '../paging.ts';
import { TriageBody } from './tips.ts';

/** Alarms per triage page (500 before paging: the office app reads the first page). */
const EVENT_PAGE = { cap: 500, dflt: 500 };
/** Cameras per page: a county may register hundreds along its roads. */
const CAMERA_PAGE = { cap: 500, dflt: 500 };

const CameraId = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, dot, dash, underscore (1–64)');

/**
 * Video-surveillance alarms: an admin registers each camera and receives its token once; the
 * camera (or its video platform) posts alarms to its own webhook with that token in the
 * X-Camera-Token header. An accepted alarm becomes a 图斑 of source `video`.
 */
export const cameraRoutes: FastifyPluginAsyncZod = async (app) => {
  const leads = app.services.fieldLeads;

  app.post(
    '/api/cameras',
    {
      schema: {
        tags: ['cameras'],
        summary: 'Register a camera (admin); the token is returned once',
        body: z.object({
          id: CameraId,
          jurisdictionCode: z.string().regex(/^\d{6}(\d{3}(\d{3})?)?$/),
          label: z.string().trim().min(1).max(200),
          lon: z.number().min(-180).max(180),
          lat: z.number().min(-90).max(90),
        }),
        response: {
          201: z.object({ id: z.string(), token: z.string() }),
          403: ErrorBody,
          409: ErrorBody,
        },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await leads.registerCamera(requireRole(req, 'admin'), req.body)),
  );

  app.get(
    '/api/cameras',
    {
      schema: {
        tags: ['cameras'],
        summary: 'Cameras in my jurisdiction by id, a page at a time',
        querystring: z.object(pageQuery(CAMERA_PAGE)).omit({ total: true }),
        response: { 200: paged(Camera), 400: ErrorBody },
      },
    },
    async (req) => {
      const { limit, after } = pageRequest('cameras', req.query, CAMERA_PAGE.cap, ['string']);
      return readPage(
        'cameras',
        limit,
        (n) => leads.cameras(principalOf(req), n, after?.[0] as string | undefined),
        (c) => [c.id],
      );
    },
  );

  app.post(
    '/api/cameras/:cameraId/events',
    {
      schema: {
        tags: ['cameras'],
        summary: 'Camera alarm webhook (X-Camera-Token); stored once per event id',
        security: [],
        params: z.object({ cameraId: CameraId }),
        headers: z.object({ 'x-camera-token': z.string().optional() }),
        body: CameraEvent,
        response: {
          200: z.object({ id: z.number(), status: z.enum(LEAD_STATUSES), replayed: z.boolean() }),
          401: ErrorBody,
        },
      },
    },
    async (req) => leads.cameraEvent(req.params.cameraId, req.headers['x-camera-token'], req.body),
  );

  app.get(
    '/api/camera-events',
    {
      schema: {
        tags: ['cameras'],
        summary: 'Camera alarms in my jurisdiction, newest first, a page at a time',
        querystring: z
          .object({ status: z.enum(LEAD_STATUSES).optional(), ...pageQuery(EVENT_PAGE) })
          .omit({ total: true }),
        response: { 200: paged(CameraEventView), 400: ErrorBody },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const { limit, after } = pageRequest('camera-events', req.query, EVENT_PAGE.cap, ['number']);
      return readPage(
        'camera-events',
        limit,
        (n) => leads.cameraEvents(p, req.query.status, n, after?.[0] as number | undefined),
        (e) => [e.id],
      );
    },
  );

  app.post(
    '/api/camera-events/:id/triage',
    {
      schema: {
        tags: ['cameras'],
        summary: 'Triage a camera alarm: accept (→ 图斑 of source video) or reject',
        params: z.object({ id: z.coerce.number().int().positive() }),
        body: TriageBody,
        response: { 200: TriageResult, 403: ErrorBody, 409: ErrorBody },
      },
    },
    async (req) =>
      leads.triageCameraEvent(requireRole(req, 'county_officer', 'admin'), req.params.id, req.body),
  );
};
