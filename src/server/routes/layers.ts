import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LAYER_KINDS } from '../../store/reference.ts';
import { storeOf } from '../guards.ts';
import {
  featureCollection,
  items,
  ReferenceFeature,
  ReferenceLayer,
} from '../../contract/views.ts';
import { BBoxQuery, ErrorBody } from '../schemas.ts';
import { pageQuery, pageRequest, readPage } from '../paging.ts';

/**
 * Features per page (10,000 by default and 50,000 on request before paging: one such reply was
 * tens of MB of geometry built while every other request waited). Follow `nextCursor`.
 */
const FEATURE_PAGE = { cap: 2000, dflt: 1000 };

/** Reference layers (farmland, permanent basic farmland, approvals …) in the caller's scope. */
export const layerRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/layers',
    {
      schema: {
        tags: ['layers'],
        summary: 'Reference layers with their feature counts in my scope',
        response: { 200: items(ReferenceLayer) },
      },
    },
    async (req) => ({
      items: await storeOf(req).layers.list(),
    }),
  );

  app.get(
    '/api/layers/features',
    {
      schema: {
        tags: ['layers'],
        summary: 'Reference features overlapping a box, as GeoJSON, by id, a page at a time',
        querystring: z
          .object({
            bbox: BBoxQuery,
            kind: z
              .string()
              .transform((s) => s.split(','))
              .pipe(z.array(z.enum(LAYER_KINDS)))
              .optional(),
            ...pageQuery(FEATURE_PAGE),
          })
          .omit({ total: true }),
        response: {
          200: featureCollection(ReferenceFeature.omit({ geometry: true })).extend({
            count: z.number(),
            nextCursor: z.string().nullable(),
          }),
          400: ErrorBody,
        },
      },
    },
    async (req) => {
      const store = storeOf(req);
      const { limit, after } = pageRequest('layer-features', req.query, FEATURE_PAGE.cap, [
        'number',
      ]);
      const page = await readPage(
        'layer-features',
        limit,
        (n) =>
          store.layers.featuresInBox(req.query.bbox, {
            kinds: req.query.kind,
            withGeometry: true,
            limit: n,
            afterId: after?.[0] as number | undefined,
          }),
        (f) => [f.id],
      );
      return {
        type: 'FeatureCollection' as const,
        count: page.count,
        nextCursor: page.nextCursor,
        features: page.items.map(({ geometry, ...props }) => ({
          type: 'Feature' as const,
          id: props.id,
          geometry,
          properties: props,
        })),
      };
    },
  );
};
