import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/** Where `npm run build:web` (and `npm ci`'s prepare, and `npm start`) put the built app. */
export const WEB_DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>耕保 Gengbao</title>
<p>The web app is not built. Run <code>npm run build:web</code> (or <code>npm start</code>, which builds it when missing).</p>`;

/**
 * The office web app, served from web/dist. Everything it needs is in that folder: bureau
 * intranets have no internet, so no CDN, font or map service outside this server is ever
 * referenced. Paths outside /api fall back to index.html so the app's own routes survive a
 * reload; hashed assets are cached for a year, index.html never. The public tip page (/tip) is
 * the build's second page, tip.html.
 */
export const webRoutes: FastifyPluginAsyncZod = async (app) => {
  const built = existsSync(`${WEB_DIST}index.html`);
  if (built) {
    await app.register(fastifyStatic, {
      root: WEB_DIST,
      wildcard: false,
      index: false,
      setHeaders(res, path) {
        res.header(
          'cache-control',
          /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }
  const sendIndex = (reply: import('fastify').FastifyReply) =>
    built
      ? reply.header('cache-control', 'no-cache').sendFile('index.html')
      : reply.type('text/html; charset=utf-8').send(NOT_BUILT);
  app.get('/', { schema: { hide: true } }, async (_req, reply) => sendIndex(reply));
  // The public tip page (举报): a page of its own in the same build, no login behind it.
  app.get('/tip', { schema: { hide: true, security: [] } }, async (_req, reply) =>
    built
      ? reply.header('cache-control', 'no-cache').sendFile('tip.html')
      : reply.type('text/html; charset=utf-8').send(NOT_BUILT),
  );
  app.get('/*', { schema: { hide: true } }, async (req, reply) => {
    const path = req.url.split('?')[0];
    // API paths and files that look like assets get a real 404, not the app.
    if (path.startsWith('/api/') || path === '/api' || /\.[a-z0-9]+$/i.test(path)) {
      return reply
        .status(404)
        .send({ error: { code: 'not_found', message: `no route ${req.method} ${path}` } });
    }
    return sendIndex(reply);
  });
};
