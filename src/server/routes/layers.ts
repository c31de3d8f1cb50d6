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
import { BBoxQuery } from '../schemas.ts';

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
        summary: 'Reference features overlapping a box, as GeoJSON',
        querystring: z.object({
          bbox: BBoxQuery,
          kind: z
            .string()
            .transform((s) => s.split(','))
            .pipe(z.array(z.enum(LAYER_KINDS)))
            .optional(),
          limit: z.coerce.number().int().min(1).max(50000).default(10000),
        }),
        response: { 200: featureCollection(ReferenceFeature.omit({ geometry: true })) },
      },
    },
    async (req) => {
      const features = await storeOf(req).layers.featuresInBox(req.query.bbox, {
        kinds: req.query.kind,
        withGeometry: true,
        limit: req.query.limit,
      });
      return {
        type: 'FeatureCollection' as const,
        features: features.map(({ geometry, ...props }) => ({
          type: 'Feature' as const,
          id: props.id,
          geometry,
          properties: props,
        })),
      };
    },
  );
};
