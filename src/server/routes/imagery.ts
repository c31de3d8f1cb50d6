import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { binary, NoBody } from '../../contract/binary.ts';
import { Imagery } from '../../contract/views.ts';
import { imageryKey } from '../../store/imagery.ts';
import { paged, pageQuery, pageRequest, readPage } from '../paging.ts';
import { principalOf } from '../guards.ts';
import { ErrorBody } from '../schemas.ts';
import { etagOf, TileCache } from '../tiles/tile-cache.ts';
import { assertTile } from '../../geo/tile-math.ts';

/**
 * Imagery of the caller's jurisdiction and its XYZ tiles: true colour (bands 3,2,1 with a
 * 2–98 % stretch) rendered from the stored GeoTIFF/COG. Stored scenes do not change, so tiles
 * are cached a day by browsers and in the server's LRU.
 */
/** Scenes per page: a province registers a few a month per county (the office app follows the cursor). */
const SCENE_PAGE = { cap: 500, dflt: 500 };

export const imageryRoutes: FastifyPluginAsyncZod = async (app) => {
  const { imagery } = app.services;
  const cache = new TileCache();

  app.get(
    '/api/imagery',
    {
      schema: {
        tags: ['imagery'],
        summary: 'Imagery (scenes) in my scope, oldest first, with tile URLs, a page at a time',
        querystring: z.object(pageQuery(SCENE_PAGE)).omit({ total: true }),
        response: { 200: paged(Imagery), 400: ErrorBody },
      },
    },
    async (req) => {
      const scope = principalOf(req).scope;
      const { limit, after } = pageRequest('imagery', req.query, SCENE_PAGE.cap, [
        'string',
        'number',
      ]);
      const page = await readPage(
        'imagery',
        limit,
        (n) => imagery.list(scope, { limit: n, afterKey: after }),
        imageryKey,
      );
      // The file location stays on the server: clients need the tiles, not the path.
      return {
        ...page,
        items: page.items.map(({ uri: _uri, ...img }) => ({
          ...img,
          role: (img.meta.role as string | undefined) ?? null,
          tiles: `/api/imagery/${img.id}/tiles/{z}/{x}/{y}.png`,
        })),
      };
    },
  );

  app.get(
    '/api/imagery/:id/tiles/:z/:x/:tile',
    {
      schema: {
        tags: ['imagery'],
        summary:
          'One true-colour tile (PNG) of an image in my scope: /api/imagery/{id}/tiles/{z}/{x}/{y}.png',
        params: z.object({
          id: z.coerce.number().int().positive(),
          z: z.coerce.number().int(),
          x: z.coerce.number().int(),
          tile: z.string().regex(/^\d+\.png$/, 'the tile must be {y}.png'),
        }),
        // 204 outside the scene, 304 when the ETag matches: no body.
        response: {
          200: binary('the tile', 'image/png'),
          204: NoBody,
          304: NoBody,
          404: ErrorBody,
        },
      },
    },
    async (req, reply) => {
      const img = await imagery.get(principalOf(req).scope, req.params.id);
      const t = { z: req.params.z, x: req.params.x, y: Number.parseInt(req.params.tile, 10) };
      assertTile(t);
      const key = `png|${img.id}|${img.uri}|${t.z}/${t.x}/${t.y}`;
      const etag = etagOf(key);
      reply.header('cache-control', 'private, max-age=86400').header('etag', etag);
      if (req.headers['if-none-match'] === etag) return reply.status(304).send();
      const body = await cache.get(
        key,
        async () => (await imagery.renderTile(img.uri, t)) ?? new Uint8Array(0),
      );
      // Outside the scene: 204, which MapLibre draws as an empty tile.
      if (!body.byteLength) return reply.status(204).send();
      return reply
        .type('image/png')
        .send(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
    },
  );
};
