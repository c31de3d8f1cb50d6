import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { POLYGON_SOURCES } from '../../store/polygons.ts';
import { BY_VERDICT, OVERDUE } from '../../store/work-queues.ts';
import { storeOf } from '../guards.ts';

/**
 * Work queues that are not a status filter. "Overdue" reads the deadlines in each 图斑's case
 * state; the other queues (to push, to verify …) are `/api/polygons?status=`.
 */
const Filters = {
  period: z
    .string()
    .regex(/^\d{4}-\d{2}$/)
    .optional(),
  source: z.enum(POLYGON_SOURCES).optional(),
  jurisdiction: z
    .string()
    .regex(/^\d{6,12}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(10000).default(1000),
};

export const queueRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/queues/verdict/:verdict',
    {
      schema: {
        tags: ['cases'],
        summary: '图斑 in my scope by verdict (lawful, illegal, other, or none before a verdict)',
        params: z.object({ verdict: z.enum(['lawful', 'illegal', 'other', 'none']) }),
        querystring: z.object(Filters),
        response: { 200: z.object({ count: z.number(), items: z.array(BY_VERDICT.schema) }) },
      },
    },
    async (req) => {
      const q = req.query;
      const items = await storeOf(req).polygons.byVerdict(req.params.verdict, {
        period: q.period,
        source: q.source,
        jurisdictionCode: q.jurisdiction,
        limit: q.limit,
      });
      return { count: items.length, items };
    },
  );

  app.get(
    '/api/queues/overdue',
    {
      schema: {
        tags: ['cases'],
        summary: 'Open 图斑 in my scope whose lifecycle deadline has passed, earliest first',
        querystring: z.object(Filters),
        response: { 200: z.object({ count: z.number(), at: z.string(), items: z.array(OVERDUE.schema) }) },
      },
    },
    async (req) => {
      const q = req.query;
      const now = app.services.now();
      const items = await storeOf(req).polygons.overdue(now, {
        period: q.period,
        source: q.source,
        jurisdictionCode: q.jurisdiction,
        limit: q.limit,
      });
      return { count: items.length, at: now.toISOString(), items };
    },
  );
};
