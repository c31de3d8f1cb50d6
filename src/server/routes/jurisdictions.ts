import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { GengbaoError } from '../../errors.ts';
import { storeOf } from '../guards.ts';
import { featureCollection, Jurisdiction } from '../../contract/views.ts';
import { BBoxQuery, ErrorBody } from '../schemas.ts';

const Level = z.enum(['nation', 'province', 'city', 'county', 'township', 'village']);

/** The admin grid (county → township → village) inside the caller's jurisdiction. */
export const jurisdictionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/jurisdictions',
    {
      schema: {
        tags: ['grid'],
        summary: 'Jurisdictions in my scope; as GeoJSON when geometry=true',
        querystring: z.object({
          level: Level.optional(),
          parent: z
            .string()
            .regex(/^\d{6,12}$/)
            .optional(),
          bbox: BBoxQuery.optional(),
          geometry: z.enum(['true', 'false']).default('false'),
          limit: z.coerce.number().int().min(1).max(5000).default(5000),
        }),
        // A list, or with geometry=true a FeatureCollection of the same records.
        response: {
          200: z.union([
            z.object({ count: z.number(), items: z.array(Jurisdiction) }),
            featureCollection(Jurisdiction.omit({ geometry: true })),
          ]),
        },
      },
    },
    async (req) => {
      const q = req.query;
      const items = await storeOf(req).jurisdictions.list({
        level: q.level,
        parentCode: q.parent,
        bbox: q.bbox,
        withGeometry: q.geometry === 'true',
        limit: q.limit,
      });
      if (q.geometry !== 'true') return { count: items.length, items };
      return {
        type: 'FeatureCollection' as const,
        features: items.map(({ geometry, ...props }) => ({
          type: 'Feature' as const,
          id: props.code,
          geometry,
          properties: props,
        })),
      };
    },
  );

  app.get(
    '/api/jurisdictions/:code',
    {
      schema: {
        tags: ['grid'],
        summary: 'One jurisdiction with its geometry',
        params: z.object({ code: z.string().regex(/^\d{6,12}$/) }),
        response: { 200: Jurisdiction, 404: ErrorBody },
      },
    },
    async (req) => {
      const j = await storeOf(req).jurisdictions.get(req.params.code);
      if (!j)
        throw new GengbaoError('not_found', `no jurisdiction ${req.params.code} in your scope`, {
          field: 'code',
        });
      return j;
    },
  );
};
