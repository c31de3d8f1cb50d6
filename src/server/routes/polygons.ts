import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { GengbaoError } from '../../errors.ts';
import { POLYGON_SOURCES } from '../../store/polygons.ts';
import { principalOf, storeOf } from '../guards.ts';
import { binary } from '../../contract/binary.ts';
import { featureCollection, Polygon, PolygonEvent } from '../../contract/views.ts';
import { BBoxQuery, ErrorBody } from '../schemas.ts';

/** 图斑 in the caller's jurisdiction: lists (JSON or GeoJSON), one with its record. */
export const polygonRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/polygons',
    {
      schema: {
        tags: ['polygons'],
        summary: '图斑 in my scope, filtered; format=geojson for a FeatureCollection',
        querystring: z.object({
          bbox: BBoxQuery.optional(),
          period: z.string().regex(/^\d{4}-\d{2}$/).optional(),
          status: z.string().max(40).optional(),
          source: z.enum(POLYGON_SOURCES).optional(),
          jurisdiction: z.string().regex(/^\d{6,12}$/).optional(),
          format: z.enum(['json', 'geojson']).default('json'),
          limit: z.coerce.number().int().min(1).max(10000).default(1000),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: z.union([z.object({ count: z.number(), items: z.array(Polygon) }), featureCollection(Polygon.omit({ geometry: true }))]) },
      },
    },
    async (req) => {
      const q = req.query;
      const geo = q.format === 'geojson';
      const items = await storeOf(req).polygons.list({ ...q, jurisdictionCode: q.jurisdiction, withGeometry: geo });
      if (!geo) return { count: items.length, items };
      return {
        type: 'FeatureCollection' as const,
        features: items.map(({ geometry, ...props }) => ({ type: 'Feature' as const, id: props.id, geometry, properties: props })),
      };
    },
  );

  app.get(
    '/api/polygons/:id',
    { schema: { tags: ['polygons'], summary: 'One 图斑 with geometry and its record', params: z.object({ id: z.coerce.number().int().positive() }), response: { 200: Polygon.extend({ events: z.array(PolygonEvent) }), 404: ErrorBody } } },
    async (req) => {
      const store = storeOf(req);
      const polygon = await store.polygons.get(req.params.id);
      if (!polygon) throw new GengbaoError('not_found', `no polygon ${req.params.id} in your scope`, { field: 'id' });
      return { ...polygon, events: await store.polygons.events(polygon.id) };
    },
  );

  app.get(
    '/api/polygons/:id/chips/:which',
    {
      schema: {
        tags: ['polygons'],
        summary: 'Before/after evidence chip (PNG) of a detected 图斑',
        params: z.object({ id: z.coerce.number().int().positive(), which: z.enum(['before.png', 'after.png']) }),
        response: { 200: binary('the chip', 'image/png'), 404: ErrorBody },
      },
    },
    async (req, reply) => {
      const which = req.params.which === 'before.png' ? 'before' : 'after';
      const png = await app.services.detection.chipOf(principalOf(req), req.params.id, which);
      return reply.type('image/png').header('cache-control', 'private, max-age=3600').send(png);
    },
  );
};
