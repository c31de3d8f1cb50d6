import { readFileSync } from 'node:fs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

const INDEX = readFileSync(new URL('../web/index.html', import.meta.url), 'utf8');

/**
 * The office page. Everything it needs is served from here: bureau intranets have no
 * internet, so no CDN, font or map service outside this server is ever referenced.
 */
export const webRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').send(INDEX));
};
