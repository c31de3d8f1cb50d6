import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { GengbaoError } from '../../errors.ts';
import { POLYGON_SOURCES } from '../../store/polygons.ts';
import { principalOf, storeOf } from '../guards.ts';
import { binary } from '../../contract/binary.ts';
import { featureCollection, Polygon, PolygonDetail } from '../../contract/views.ts';
import { maskPersonalData, seesPersonalData } from '../../cases/index.ts';
import { BBoxQuery, ErrorBody } from '../schemas.ts';
import { paged, pageQuery, pageRequest, readPage } from '../paging.ts';
import { ReplyCache } from '../reply-cache.ts';

/** Rows per page of the 图斑 list; geometry (format=geojson) only on request. */
const PAGE = { cap: 1000, dflt: 100 };
const ListReply = z.union([
  paged(Polygon),
  featureCollection(Polygon.omit({ geometry: true })).extend({ nextCursor: z.string().nullable() }),
]);

/** 图斑 in the caller's jurisdiction: lists (JSON or GeoJSON), one with its record. */
export const polygonRoutes: FastifyPluginAsyncZod = async (app) => {
  const lists = new ReplyCache();
  app.get(
    '/api/polygons',
    {
      schema: {
        tags: ['polygons'],
        summary: '图斑 in my scope, filtered; format=geojson for a FeatureCollection',
        querystring: z.object({
          bbox: BBoxQuery.optional(),
          period: z
            .string()
            .regex(/^\d{4}-\d{2}$/)
            .optional(),
          status: z.string().max(40).optional(),
          source: z.enum(POLYGON_SOURCES).optional(),
          jurisdiction: z
            .string()
            .regex(/^\d{6,12}$/)
            .optional(),
          format: z.enum(['json', 'geojson']).default('json'),
          ...pageQuery(PAGE),
          offset: z.coerce
            .number()
            .int()
            .min(0)
            .default(0)
            .describe('kept for older clients; prefer cursor'),
        }),
        response: { 200: ListReply },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const geo = q.format === 'geojson';
      const store = storeOf(req);
      const { limit, after } = pageRequest('polygons', q, PAGE.cap, ['number']);
      const query = {
        ...q,
        jurisdictionCode: q.jurisdiction,
        withGeometry: geo,
        afterId: after?.[0] as number | undefined,
      };
      const json = await lists.json(store, req.url, ListReply, async () => {
        const page = await readPage(
          'polygons',
          limit,
          (n) => store.polygons.list({ ...query, limit: n }),
          (p) => [p.id],
          q.total === 'true' ? () => store.polygons.countMatching(query) : undefined,
        );
        if (!geo) return page;
        return {
          type: 'FeatureCollection' as const,
          nextCursor: page.nextCursor,
          features: page.items.map(({ geometry, ...props }) => ({
            type: 'Feature' as const,
            id: props.id,
            geometry,
            properties: props,
          })),
        };
      });
      // JSON bytes with a JSON type are sent as they are (Fastify serializes only objects): the
      // reply was checked against ListReply and serialized once, in the cache.
      return reply
        .type('application/json; charset=utf-8')
        .send(json as unknown as z.infer<typeof ListReply>);
    },
  );

  app.get(
    '/api/polygons/:id',
    {
      schema: {
        tags: ['polygons'],
        summary:
          'One 图斑 with geometry, its record, the named units it lies in and who acted; parties’ ID and phone numbers masked unless the caller’s role deals with them',
        params: z.object({ id: z.coerce.number().int().positive() }),
        response: { 200: PolygonDetail, 404: ErrorBody },
      },
    },
    async (req) => {
      const store = storeOf(req);
      const polygon = await store.polygons.get(req.params.id);
      if (!polygon)
        throw new GengbaoError('not_found', `no polygon ${req.params.id} in your scope`, {
          field: 'id',
        });
      const events = await store.polygons.events(polygon.id);
      const whole = seesPersonalData(principalOf(req).role);
      return {
        ...polygon,
        // Masked events no longer hash to their stored hash: the chain is verified on the server (gengbao audit).
        events: whole
          ? events
          : events.map((e) => ({ ...e, payload: maskPersonalData(e.payload) })),
        places: await store.polygons.places(polygon.jurisdictionCode),
        actors: await store.polygons.actors(events.map((e) => e.actorId ?? '')),
        personalData: whole ? ('full' as const) : ('masked' as const),
      };
    },
  );

  app.get(
    '/api/polygons/:id/chips/:which',
    {
      schema: {
        tags: ['polygons'],
        summary: 'Before/after evidence chip (PNG) of a detected 图斑',
        params: z.object({
          id: z.coerce.number().int().positive(),
          which: z.enum(['before.png', 'after.png']),
        }),
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
