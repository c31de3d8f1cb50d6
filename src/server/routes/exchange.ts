import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { binary } from '../../contract/binary.ts';
import { ErrorBody } from '../../contract/views.ts';
import { ExchangeMapping } from '../../reports/exchange-mapping.ts';
import { EXCHANGE_FORMATS } from '../../services/exchange.ts';
import { principalOf } from '../guards.ts';

/**
 * Exchange with the province's 卫片执法 platform: the field mapping (read by all, edited by the
 * province's administrator and monitors, recorded), the 图斑 and their results in the
 * province's fields (Shapefile zipped with its GBK DBF and .cpg, GeoPackage, xlsx), and the
 * import of the province's results file with a report per row.
 */
const Errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const Province = z.object({
  province: z
    .string()
    .regex(/^\d{2}$/)
    .optional()
    .describe('2-digit province code; a nation-wide account names it'),
});
const MappingReply = z.object({
  province: z.string(),
  source: z.enum(['default', 'province']),
  mapping: ExchangeMapping,
  sources: z.record(z.string(), z.string()).describe('the Gengbao values a field can carry'),
});
const Value = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const ImportReply = z.object({
  rows: z.number(),
  matched: z.number(),
  refused: z.number(),
  differing: z.number(),
  eventSeq: z.number(),
  items: z.array(
    z.object({
      row: z.number(),
      code: z.string().nullable(),
      outcome: z.enum(['matched', 'refused']),
      reason: z.string().optional(),
      values: z.record(z.string(), Value).optional(),
      refusedFields: z
        .array(z.object({ field: z.string(), value: z.string(), reason: z.string() }))
        .optional(),
      differs: z
        .array(z.object({ source: z.string(), province: Value, gengbao: Value }))
        .optional(),
    }),
  ),
});

export const exchangeRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/exchange/mapping',
    {
      schema: {
        tags: ['exchange'],
        summary:
          "The province's exchange field mapping (TBBH, XZQDM, PDLX … and their codes) in force",
        querystring: Province,
        response: { 200: MappingReply, ...Errors },
      },
    },
    async (req) => app.services.exchange.mapping(principalOf(req), req.query.province),
  );

  app.put(
    '/api/exchange/mapping',
    {
      schema: {
        tags: ['exchange'],
        summary: "Replace the province's exchange mapping; recorded with its hash",
        querystring: Province,
        body: ExchangeMapping,
        response: { 200: MappingReply, ...Errors },
      },
    },
    async (req) => app.services.exchange.setMapping(principalOf(req), req.body, req.query.province),
  );

  app.delete(
    '/api/exchange/mapping',
    {
      schema: {
        tags: ['exchange'],
        summary: 'Back to the default exchange mapping; recorded',
        querystring: Province,
        response: { 200: MappingReply, ...Errors },
      },
    },
    async (req) => app.services.exchange.setMapping(principalOf(req), null, req.query.province),
  );

  app.get(
    '/api/exchange/polygons',
    {
      schema: {
        tags: ['exchange'],
        summary:
          "图斑 and their results in the province's fields: Shapefile (zip: .shp .shx .dbf GBK .cpg .prj), GeoPackage or xlsx",
        querystring: z.object({
          format: z.enum(Object.keys(EXCHANGE_FORMATS) as ['shp', 'gpkg', 'xlsx']).default('shp'),
          period: z
            .string()
            .regex(/^\d{4}-\d{2}$/)
            .optional(),
        }),
        response: {
          200: binary(
            'the exchange file, as an attachment',
            ...new Set(Object.values(EXCHANGE_FORMATS).map((f) => f.media)),
          ),
          ...Errors,
        },
      },
    },
    async (req, reply) => {
      const f = await app.services.exchange.file(principalOf(req).scope, req.query.format, {
        period: req.query.period,
      });
      return reply
        .type(f.media)
        .header('content-disposition', `attachment; filename="${f.name}"`)
        .send(f.bytes);
    },
  );

  app.post(
    '/api/exchange/import',
    {
      bodyLimit: 40 * 1024 * 1024,
      schema: {
        tags: ['exchange'],
        summary:
          "Import the province's results file through the mapping: each row matched by 图斑 code or refused with the reason",
        querystring: Province,
        body: z.object({
          name: z
            .string()
            .min(1)
            .max(200)
            .regex(
              /\.(zip|shp|gpkg|xlsx|geojson|json|fgb)$/i,
              'a .zip (Shapefile), .gpkg, .xlsx, .geojson or .fgb file',
            )
            .describe('the file name, whose extension says its format'),
          contentBase64: z.string().max(40 * 1024 * 1024),
        }),
        response: { 200: ImportReply, ...Errors },
      },
    },
    async (req) => {
      return app.services.exchange.importBytes(
        principalOf(req),
        req.body.name,
        Buffer.from(req.body.contentBase64, 'base64'),
        { province: req.query.province },
      );
    },
  );
};
