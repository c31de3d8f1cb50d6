import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { GengbaoError } from '../../errors.ts';
import { FLAG_KINDS } from '../../field/evidence.ts';
import { polygonExtent } from '../../store/polygon-extent.ts';
import { listFlags, listSpotChecks, spotCheckOutcomes } from '../../store/review-lists.ts';
import { storeOf } from '../guards.ts';
import { ErrorBody } from '../schemas.ts';

const Paging = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
};

const SpotCheckSummary = z.object({
  id: z.number(),
  jurisdictionCode: z.string(),
  period: z.string(),
  rate: z.number(),
  population: z.number(),
  size: z.number(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
});
const SpotCheckOutcome = z.object({
  id: z.number(),
  code: z.string(),
  jurisdictionCode: z.string(),
  status: z.string(),
  verdict: z.string().nullable(),
  /** The spot-check finding under this check's seed; null while the 图斑 is not yet checked. */
  finding: z.enum(['upheld', 'overturned']).nullable(),
  note: z.string().nullable(),
});
const FlagItem = z.object({
  id: z.number(),
  polygonId: z.number(),
  code: z.string(),
  jurisdictionCode: z.string(),
  kind: z.string(),
  photo: z.number().nullable(),
  message: z.string(),
  detail: z.record(z.string(), z.unknown()),
  at: z.string(),
  /** The flagged photo, to open at /api/field/evidence/{sha256}. */
  sha256: z.string().nullable(),
  by: z.string().nullable(),
});

/**
 * Lists the office app pages through (spot checks and their outcomes, field evidence flags): a
 * page and the total; and the extent of my 图斑, where the map opens.
 */
export const reviewListRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/polygons/extent',
    {
      schema: {
        tags: ['polygons'],
        summary: 'The box around every 图斑 in my scope (null when none), and how many there are',
        response: {
          200: z.object({
            bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
            count: z.number(),
          }),
        },
      },
    },
    async (req) => storeOf(req).transaction((q, scope) => polygonExtent(q, scope)),
  );

  app.get(
    '/api/spot-checks',
    {
      schema: {
        tags: ['cases'],
        summary: 'Spot checks drawn in my scope, newest first',
        querystring: z.object(Paging),
        response: { 200: z.object({ total: z.number(), items: z.array(SpotCheckSummary) }) },
      },
    },
    async (req) =>
      storeOf(req).transaction((q, scope) =>
        listSpotChecks(q, scope, req.query.limit, req.query.offset),
      ),
  );

  app.get(
    '/api/spot-checks/:id/outcomes',
    {
      schema: {
        tags: ['cases'],
        summary:
          'The 图斑 a spot check drew: verdict and the finding on each (upheld, overturned, not yet)',
        params: z.object({ id: z.coerce.number().int().positive() }),
        response: { 200: z.object({ items: z.array(SpotCheckOutcome) }), 404: ErrorBody },
      },
    },
    async (req) => {
      const items = await storeOf(req).transaction((q, scope) =>
        spotCheckOutcomes(q, scope, req.params.id),
      );
      if (!items)
        throw new GengbaoError('not_found', `no spot check ${req.params.id} in your scope`, {
          field: 'id',
        });
      return { items };
    },
  );

  app.get(
    '/api/field/flags/items',
    {
      schema: {
        tags: ['field'],
        summary:
          'Field photos that failed a check (hash, distance, time window, accuracy), newest first',
        querystring: z.object({ ...Paging, kind: z.enum(FLAG_KINDS).optional() }),
        response: { 200: z.object({ total: z.number(), items: z.array(FlagItem) }) },
      },
    },
    async (req) => storeOf(req).transaction((q, scope) => listFlags(q, scope, req.query)),
  );
};
