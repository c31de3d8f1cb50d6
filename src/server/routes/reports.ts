import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { binary } from '../../contract/binary.ts';
import { ErrorBody } from '../../contract/views.ts';
import { REPORT_FORMATS } from '../../services/reports.ts';
import { principalOf } from '../guards.ts';

/**
 * Statistical reports (统计报表) of a unit and period in the caller's jurisdiction: the file a
 * bureau sends up (xlsx or PDF), and the same table as JSON. A unit outside the caller's
 * jurisdiction is 403.
 */
const Query = {
  period: z.string().max(10).describe('a month 2026-11, a quarter 2026-Q4 or a year 2026'),
  unit: z
    .string()
    .regex(/^\d{6,12}$/, 'a province, city, county or township code')
    .describe('the unit reported on, e.g. 140500'),
};
const Errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

const Row = z.object({
  code: z.string().nullable(),
  name: z.string(),
  kind: z.enum(['unit', 'unplaced', 'total']),
  values: z
    .record(z.string(), z.number().nullable())
    .describe('by column key: 宗, 亩 (two decimals), or a share 0–1'),
});
const StatisticsReply = z.object({
  title: z.string(),
  unit: z.object({ code: z.string(), name: z.string(), level: z.string() }),
  childLevel: z.string(),
  period: z.object({
    kind: z.enum(['month', 'quarter', 'year']),
    code: z.string(),
    label: z.string(),
    year: z.number(),
    months: z.array(z.string()),
  }),
  generatedAt: z.string(),
  tables: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      columns: z.array(
        z.object({
          key: z.string(),
          label: z.string(),
          group: z.string().optional(),
          kind: z.enum(['count', 'mu', 'percent']),
        }),
      ),
      rows: z.array(Row),
      total: Row,
    }),
  ),
  notes: z.array(z.string()),
});

export const reportRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/reports/statistics',
    {
      schema: {
        tags: ['reports'],
        summary:
          '统计报表 of a unit and period as xlsx or PDF: a row per unit one level down, a total row',
        querystring: z.object({ ...Query, format: z.enum(['xlsx', 'pdf']).default('xlsx') }),
        response: {
          200: binary('the report, as an attachment', ...Object.values(REPORT_FORMATS)),
          ...Errors,
        },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const f = await app.services.reports.statisticsFile(
        principalOf(req).scope,
        q.period,
        q.unit,
        q.format,
      );
      return reply
        .type(f.mediaType)
        .header(
          'content-disposition',
          `attachment; filename="${f.name}"; filename*=UTF-8''${encodeURIComponent(f.chineseName)}`,
        )
        .send(f.bytes);
    },
  );

  app.get(
    '/api/reports/statistics/table',
    {
      schema: {
        tags: ['reports'],
        summary:
          'The same 统计报表 as JSON: columns with their Chinese headers, rows and the total',
        querystring: z.object(Query),
        response: { 200: StatisticsReply, ...Errors },
      },
    },
    async (req) =>
      app.services.reports.statistics(principalOf(req).scope, req.query.period, req.query.unit),
  );

  app.get(
    '/api/polygons/:id/dossier.pdf',
    {
      schema: {
        tags: ['polygons'],
        summary:
          '图斑档案: the 图斑 as a PDF with imagery, figures, decisions, photos and its hash-chained record',
        params: z.object({ id: z.coerce.number().int().positive() }),
        response: {
          200: binary('the dossier, as an attachment', 'application/pdf'),
          401: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (req, reply) => {
      const f = await app.services.dossiers.pdf(principalOf(req).scope, req.params.id);
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${f.name}"`)
        .send(f.bytes);
    },
  );
};
