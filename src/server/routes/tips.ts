import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PublicTip } from '../../field/schemas.ts';
import {
  ErrorBody,
  PublicRegion,
  Tip,
  TipReceipt,
  TipStatus,
  TriageResult,
} from '../../contract/views.ts';
import { principalOf, requireRole } from '../guards.ts';
import { paged, pageQuery, pageRequest, readPage } from '../paging.ts';

/** Tips per triage page (500 before paging: the office app follows the cursor). */
const TIP_PAGE = { cap: 500, dflt: 500 };

const Triage = z.object({
  outcome: z.enum(['accept', 'reject']),
  reason: z.string().trim().min(1).max(2000),
  geometry: z
    .object({
      type: z.literal('Polygon'),
      coordinates: z.array(z.array(z.array(z.number()).min(2)).min(4)).min(1),
    })
    .optional(),
});
export { Triage as TriageBody };

/**
 * Public tips (举报): unauthenticated endpoints for the tip page (web/tip.html, served at /tip by
 * web.ts), flood-limited per client address,
 * answered with a receipt code that is the tipster's only key to the status; county officers
 * triage each tip, and an accepted one becomes a 图斑 of source `tip`.
 */
export const tipRoutes: FastifyPluginAsyncZod = async (app) => {
  const leads = app.services.fieldLeads;

  app.get(
    '/api/public/region',
    {
      schema: {
        tags: ['tips'],
        summary: 'County outlines of the region, for placing a tip on a map',
        security: [],
        response: { 200: PublicRegion },
      },
    },
    async () => leads.publicRegion(),
  );

  app.post(
    '/api/public/tips',
    {
      schema: {
        tags: ['tips'],
        summary: 'Send a tip (举报); returns a receipt code',
        security: [],
        body: PublicTip,
        response: { 200: TipReceipt, 400: ErrorBody, 429: ErrorBody },
      },
    },
    async (req) => leads.submitTip(req.ip, req.body),
  );

  app.get(
    '/api/public/tips/:receipt',
    {
      schema: {
        tags: ['tips'],
        summary: 'Status of a tip by its receipt code',
        security: [],
        params: z.object({ receipt: z.string().trim().min(6).max(20) }),
        response: { 200: TipStatus, 404: ErrorBody },
      },
    },
    async (req) => leads.tipStatus(req.params.receipt),
  );

  app.get(
    '/api/tips',
    {
      schema: {
        tags: ['tips'],
        summary: 'Tips in my jurisdiction, newest first, a page at a time',
        querystring: z
          .object({
            status: z.enum(['received', 'accepted', 'rejected']).optional(),
            ...pageQuery(TIP_PAGE),
          })
          .omit({ total: true }),
        response: { 200: paged(Tip), 400: ErrorBody },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const { limit, after } = pageRequest('tips', req.query, TIP_PAGE.cap, ['number']);
      return readPage(
        'tips',
        limit,
        (n) => leads.tips(p, req.query.status, n, after?.[0] as number | undefined),
        (t) => [t.id],
      );
    },
  );

  app.post(
    '/api/tips/:id/triage',
    {
      schema: {
        tags: ['tips'],
        summary: 'Triage a tip: accept (→ 图斑 of source tip) or reject',
        params: z.object({ id: z.coerce.number().int().positive() }),
        body: Triage,
        response: { 200: TriageResult, 403: ErrorBody, 409: ErrorBody },
      },
    },
    async (req) =>
      leads.triageTip(requireRole(req, 'county_officer', 'admin'), req.params.id, req.body),
  );
};
