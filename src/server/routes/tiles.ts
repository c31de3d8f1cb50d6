import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { GengbaoError } from '../../errors.ts';
import { binary, NoBody } from '../../contract/binary.ts';
import { ErrorBody } from '../../contract/views.ts';
import { storeOf } from '../guards.ts';
import { etagOf, TileCache } from '../tiles/tile-cache.ts';
import { assertTile, MAX_ZOOM } from '../../geo/tile-math.ts';
import { QueryTurns } from '../tiles/query-turns.ts';
import { VECTOR_LAYERS } from '../tiles/vector-layers.ts';

const MVT_TYPE = 'application/vnd.mapbox-vector-tile';

/**
 * Mapbox Vector Tiles of the caller's jurisdiction: 图斑 (with status for colouring),
 * reference layers (farmland, 永久基本农田 …) and jurisdiction boundaries by level. Built on
 * request from the scoped store's box queries, kept in an LRU keyed by scope and data stamp.
 * Browsers revalidate with ETags: `no-cache` for 图斑 (their status changes), five minutes
 * for reference layers.
 */
export const tileRoutes: FastifyPluginAsyncZod = async (app) => {
  const cache = new TileCache();
  const turns = new QueryTurns();

  app.get(
    '/api/tiles',
    {
      schema: {
        tags: ['tiles'],
        summary: 'The vector-tile layers and the zoom each starts at',
        response: {
          200: z.object({
            maxZoom: z.number(),
            layers: z.array(z.object({ id: z.string(), minZoom: z.number(), url: z.string() })),
          }),
        },
      },
    },
    async (req) => {
      storeOf(req);
      return {
        maxZoom: MAX_ZOOM,
        layers: [...VECTOR_LAYERS.values()].map((l) => ({
          id: l.id,
          minZoom: l.minZoom,
          url: `/api/tiles/${l.id}/{z}/{x}/{y}.mvt`,
        })),
      };
    },
  );

  app.get(
    '/api/tiles/:layer/:z/:x/:tile',
    {
      schema: {
        tags: ['tiles'],
        summary: 'One vector tile (MVT) of a layer in my scope: /api/tiles/{layer}/{z}/{x}/{y}.mvt',
        params: z.object({
          layer: z.string().max(40),
          z: z.coerce.number().int(),
          x: z.coerce.number().int(),
          tile: z.string().regex(/^\d+\.mvt$/, 'the tile must be {y}.mvt'),
        }),
        // 304 when the ETag matches: no body.
        response: {
          200: binary('the tile (empty below the layer’s first zoom)', MVT_TYPE),
          304: NoBody,
          404: ErrorBody,
        },
      },
    },
    async (req, reply) => {
      const store = storeOf(req);
      const layer = VECTOR_LAYERS.get(req.params.layer);
      if (!layer)
        throw new GengbaoError(
          'not_found',
          `no tile layer ${req.params.layer}; layers: ${[...VECTOR_LAYERS.keys()].join(', ')}`,
          { field: 'layer' },
        );
      const t = { z: req.params.z, x: req.params.x, y: Number.parseInt(req.params.tile, 10) };
      assertTile(t);
      const stamps = await cache.stampsOf(store);
      const stamp = layer.changes === 'polygons' ? stamps.polygons : stamps.reference;
      const key = `mvt|${layer.id}|${store.scope.prefix}|${stamp}|${t.z}/${t.x}/${t.y}`;
      const etag = etagOf(key);
      reply
        .header(
          'cache-control',
          layer.changes === 'polygons' ? 'private, no-cache' : 'private, max-age=300',
        )
        .header('etag', etag)
        .header('vary', 'cookie, authorization');
      if (req.headers['if-none-match'] === etag) return reply.status(304).send();
      const body =
        t.z < layer.minZoom
          ? new Uint8Array(0)
          : await cache.get(key, async () => {
              // Built ahead (tiles/prebuild.ts) or by an earlier request, maybe of another process.
              const file = { layer: layer.id, scope: store.scope.prefix, stamp, ...t };
              const stored = await app.tileFiles?.read(file);
              if (stored === 'empty') return new Uint8Array(0);
              if (stored) return stored;
              const features = await turns.run(store.embedded, () => layer.features(store, t));
              const built = await app.tileEncoder({ layer: layer.id, t, features });
              app.tileFiles
                ?.write(file, built)
                .catch((e) => req.log.warn({ err: e }, 'writing a tile file failed'));
              return built;
            });
      return reply.type(MVT_TYPE).send(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
    },
  );
};
