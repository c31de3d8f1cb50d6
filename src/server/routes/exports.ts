import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { POLYGON_SOURCES } from '../../store/polygons.ts';
import { binary } from '../../contract/binary.ts';
import { principalOf } from '../guards.ts';

/** Single-file formats the browser can download (Shapefile's several files: use the CLI). */
const FORMATS = {
  geojson: { ext: 'geojson', type: 'application/geo+json' },
  gpkg: { ext: 'gpkg', type: 'application/geopackage+sqlite3' },
  fgb: { ext: 'fgb', type: 'application/octet-stream' },
  csv: { ext: 'csv', type: 'text/csv; charset=utf-8' },
  xlsx: { ext: 'xlsx', type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
} as const;

/** Downloads of the 图斑 in the caller's jurisdiction with their figures, for reports. */
export const exportRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/exports/polygons',
    {
      schema: {
        tags: ['polygons'],
        summary: '图斑 with their figures as GeoJSON, GeoPackage, FlatGeobuf, CSV or xlsx',
        querystring: z.object({
          format: z
            .enum(Object.keys(FORMATS) as [keyof typeof FORMATS, ...(keyof typeof FORMATS)[]])
            .default('xlsx'),
          period: z
            .string()
            .regex(/^\d{4}-\d{2}$/)
            .optional(),
          status: z.string().max(40).optional(),
          source: z.enum(POLYGON_SOURCES).optional(),
          jurisdiction: z
            .string()
            .regex(/^\d{6,12}$/)
            .optional(),
        }),
        response: {
          200: binary(
            'the file, as an attachment',
            ...new Set(Object.values(FORMATS).map((f) => f.type)),
          ),
        },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const q = req.query;
      const f = FORMATS[q.format];
      const { name, bytes } = await app.services.exports.polygonFile(
        p.scope,
        { period: q.period, status: q.status, source: q.source, jurisdictionCode: q.jurisdiction },
        f.ext,
      );
      return reply
        .type(f.type)
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(bytes);
    },
  );
};
