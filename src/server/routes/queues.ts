import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { POLYGON_SOURCES } from '../../store/polygons.ts';
import { BY_VERDICT, OVERDUE } from '../../store/work-queues.ts';
import { storeOf } from '../guards.ts';
import { paged, pageQuery, pageRequest, readPage } from '../paging.ts';

/** Rows per queue page (the office app follows the cursor to show a whole queue). */
const PAGE = { cap: 1000, dflt: 100 };

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
  ...pageQuery(PAGE),
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
        response: { 200: paged(BY_VERDICT.schema) },
      },
    },
    async (req) => {
      const q = req.query;
      const store = storeOf(req);
      const verdict = req.params.verdict;
      const { limit, after } = pageRequest('verdict', q, PAGE.cap, ['string', 'number']);
      const filters = {
        period: q.period,
        source: q.source,
        jurisdictionCode: q.jurisdiction,
        after,
      };
      return readPage(
        'verdict',
        limit,
        (n) => store.polygons.byVerdict(verdict, { ...filters, limit: n }),
        (p) => [p.code, p.id],
        q.total === 'true' ? () => store.polygons.countByVerdict(verdict, filters) : undefined,
      );
    },
  );

  app.get(
    '/api/queues/overdue',
    {
      schema: {
        tags: ['cases'],
        summary: 'Open 图斑 in my scope whose lifecycle deadline has passed, earliest first',
        querystring: z.object(Filters),
        response: { 200: paged(OVERDUE.schema).extend({ at: z.string() }) },
      },
    },
    async (req) => {
      const q = req.query;
      const store = storeOf(req);
      const now = app.services.now();
      const { limit, after } = pageRequest('overdue', q, PAGE.cap, ['string', 'number']);
      const filters = {
        period: q.period,
        source: q.source,
        jurisdictionCode: q.jurisdiction,
        after,
      };
      const page = await readPage(
        'overdue',
        limit,
        (n) => store.polygons.overdue(now, { ...filters, limit: n }),
        (p) => [p.dueAt, p.id],
        q.total === 'true' ? () => store.polygons.countOverdue(now, filters) : undefined,
      );
      return { ...page, at: now.toISOString() };
    },
  );
};
