import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { items, PolygonStats, SearchHit } from '../../contract/views.ts';
import { storeOf } from '../guards.ts';

/** The map's search box and the dashboard's aggregate, both inside the caller's scope. */
export const searchRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/search',
    {
      schema: {
        tags: ['map'],
        summary: 'Find 图斑 by code prefix and jurisdictions by name or code, in my scope',
        querystring: z.object({
          q: z.string().trim().min(1, 'type at least one character').max(60),
          limit: z.coerce.number().int().min(1).max(50).default(10),
        }),
        response: { 200: items(SearchHit) },
      },
    },
    async (req) => ({ items: await storeOf(req).search(req.query.q, req.query.limit) }),
  );

  app.get(
    '/api/stats/polygons',
    {
      schema: {
        tags: ['map'],
        summary: '图斑 counts and areas by county, period, status and source, in my scope',
        response: { 200: items(PolygonStats) },
      },
    },
    async (req) => ({ items: await storeOf(req).polygons.stats() }),
  );
};
