import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { binary } from '../../contract/binary.ts';
import { items } from '../../contract/views.ts';
import { CHIP_SIDES } from '../../services/recheck.ts';
import { principalOf } from '../guards.ts';
import { ErrorBody } from '../schemas.ts';

/** One re-check of a 图斑 on a later scene, as the polygon page and the inbox link show it. */
const Recheck = z.object({
  id: z.number(),
  polygonId: z.number(),
  imageryId: z.number(),
  violationImagery: z.number().nullable(),
  beforeImagery: z.number().nullable(),
  jurisdictionCode: z.string(),
  caseStatus: z.string(),
  outcome: z.enum(['restored', 'not_restored', 'resumed', 'inconclusive', 'skipped']),
  measures: z.record(z.string(), z.number()),
  reasons: z.array(z.string()),
  chips: z.record(z.string(), z.string()),
  chipUrls: z.record(z.string(), z.string()),
  createdAt: z.union([z.string(), z.date()]),
});

/**
 * Rectification re-checked on later imagery (src/services/recheck.ts): the results of a 图斑,
 * and their before / violation / now chips, each checked against the hash its record holds.
 */
export const recheckRoutes: FastifyPluginAsyncZod = async (app) => {
  const { recheck } = app.services;

  app.get(
    '/api/polygons/:id/rechecks',
    {
      schema: {
        tags: ['monitoring'],
        summary:
          'Re-checks of a 图斑 on later imagery (restored, not restored, building resumed), newest first',
        params: z.object({ id: z.coerce.number().int().positive() }),
        response: { 200: items(Recheck) },
      },
    },
    async (req) => ({
      items: (await recheck.list(principalOf(req), req.params.id)) as z.infer<typeof Recheck>[],
    }),
  );

  app.get(
    '/api/rechecks/:id/chips/:side',
    {
      schema: {
        tags: ['monitoring'],
        summary: 'A re-check chip (PNG): the 图斑 on the before, violation or new date',
        params: z.object({
          id: z.coerce.number().int().positive(),
          side: z.enum(CHIP_SIDES.map((s) => `${s}.png`) as [string, ...string[]]),
        }),
        response: { 200: binary('the chip', 'image/png'), 404: ErrorBody },
      },
    },
    async (req, reply) => {
      const side = req.params.side.replace('.png', '') as (typeof CHIP_SIDES)[number];
      const png = await recheck.chip(principalOf(req), req.params.id, side);
      return reply.type('image/png').header('cache-control', 'private, max-age=3600').send(png);
    },
  );
};
