import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.object({
    kind: z.enum(['pglite', 'postgres']),
    reachable: z.boolean(),
    schemaVersion: z.number().nullable(),
  }),
  jobs: z.object({ runner: z.enum(['embedded', 'pg-boss']) }),
  version: z.string(),
  time: z.string(),
});

/** Liveness and readiness in one: the database answers, and at which schema version. */
export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Health, including database reachability',
        security: [],
        response: { 200: Health, 503: Health },
      },
    },
    async (_req, reply) => {
      const body = await app.services.health.check();
      return reply.status(body.database.reachable ? 200 : 503).send(body);
    },
  );

  app.get(
    '/api/openapi.json',
    { schema: { hide: true, response: { 200: z.unknown() } } },
    async () => app.swagger(),
  );
};
