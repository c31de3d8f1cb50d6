import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.object({ kind: z.enum(['pglite', 'postgres']), reachable: z.boolean(), schemaVersion: z.number().nullable() }),
  jobs: z.object({ runner: z.enum(['embedded', 'pg-boss']) }),
  version: z.string(),
  time: z.string(),
});

/** Liveness and readiness in one: the database answers, and at which schema version. */
export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/health', { schema: { tags: ['system'], summary: 'Health, including database reachability', security: [], response: { 200: Health, 503: Health } } }, async (_req, reply) => {
    let reachable = true;
    let schemaVersion: number | null = null;
    try {
      const rows = await app.deps.db.query<{ v: number }>('SELECT max(version)::int AS v FROM schema_migrations');
      schemaVersion = rows[0]?.v ?? null;
    } catch {
      reachable = false;
    }
    const body = {
      status: reachable ? ('ok' as const) : ('degraded' as const),
      database: { kind: app.deps.db.kind, reachable, schemaVersion },
      jobs: { runner: app.deps.jobs.kind },
      version: '0.1.0',
      time: (app.deps.now?.() ?? new Date()).toISOString(),
    };
    return reply.status(reachable ? 200 : 503).send(body);
  });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
};
