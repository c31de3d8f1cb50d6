import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { binary } from '../../contract/binary.ts';
import { ErrorBody } from '../../contract/views.ts';
import { MAX_DOSSIERS } from '../../services/dossier-batch.ts';
import { principalOf } from '../guards.ts';

/** 图斑档案 of many 图斑 at once, as one zip of PDFs (the single dossier is in reports.ts). */
export const dossierRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/dossiers',
    {
      schema: {
        tags: ['polygons'],
        summary: `图斑档案 of the 图斑 named, or of a period (status, unit), as a zip of PDFs (at most ${MAX_DOSSIERS})`,
        body: z.object({
          ids: z.array(z.number().int().positive()).max(MAX_DOSSIERS).optional(),
          period: z
            .string()
            .regex(/^\d{4}-\d{2}$/)
            .optional(),
          status: z.string().max(40).optional(),
          jurisdiction: z
            .string()
            .regex(/^\d{6,12}$/)
            .optional(),
        }),
        response: {
          200: binary('the dossiers, zipped', 'application/zip'),
          400: ErrorBody,
          401: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const f = await app.services.dossierBatches.zip(principalOf(req).scope, {
        ids: b.ids,
        period: b.period,
        status: b.status,
        jurisdictionCode: b.jurisdiction,
      });
      return reply
        .type('application/zip')
        .header('x-dossier-count', String(f.count))
        .header('content-disposition', `attachment; filename="${f.name}"`)
        .send(f.bytes);
    },
  );
};
