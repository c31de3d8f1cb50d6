import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { GengbaoError } from '../../errors.ts';
import { storeOf } from '../guards.ts';
import { featureCollection, Jurisdiction } from '../../contract/views.ts';
import { BBoxQuery, ErrorBody } from '../schemas.ts';
import { paged, pageQuery, pageRequest, readPage } from '../paging.ts';

/**
 * Units per page. A province holds some 28,000 villages: 5,000 with their outlines was one
 * reply before paging. Lists of counties or of one parent's children fit the first page.
 */
const UNIT_PAGE = { cap: 1000, dflt: 500 };

const Level = z.enum(['nation', 'province', 'city', 'county', 'township', 'village']);

/** The admin grid (county → township → village) inside the caller's jurisdiction. */
export const jurisdictionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/jurisdictions',
    {
      schema: {
        tags: ['grid'],
        summary:
          'Jurisdictions in my scope in code order, a page at a time; as GeoJSON when geometry=true',
        querystring: z
          .object({
            level: Level.optional(),
            parent: z
              .string()
              .regex(/^\d{6,12}$/)
              .optional(),
            bbox: BBoxQuery.optional(),
            geometry: z.enum(['true', 'false']).default('false'),
            ...pageQuery(UNIT_PAGE),
          })
          .omit({ total: true }),
        // A page, or with geometry=true a FeatureCollection of the same records and cursor.
        response: {
          200: z.union([
            paged(Jurisdiction),
            featureCollection(Jurisdiction.omit({ geometry: true })).extend({
              count: z.number(),
              nextCursor: z.string().nullable(),
            }),
          ]),
          400: ErrorBody,
        },
      },
    },
    async (req) => {
      const q = req.query;
      const store = storeOf(req);
      const { limit, after } = pageRequest('jurisdictions', q, UNIT_PAGE.cap, ['string']);
      const page = await readPage(
        'jurisdictions',
        limit,
        (n) =>
          store.jurisdictions.list({
            level: q.level,
            parentCode: q.parent,
            bbox: q.bbox,
            withGeometry: q.geometry === 'true',
            limit: n,
            afterCode: after?.[0] as string | undefined,
          }),
        (j) => [j.code],
      );
      if (q.geometry !== 'true') return page;
      return {
        type: 'FeatureCollection' as const,
        count: page.count,
        nextCursor: page.nextCursor,
        features: page.items.map(({ geometry, ...props }) => ({
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
