import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TRANSFER_OUTCOMES } from '../../cases/index.ts';
import { binary } from '../../contract/binary.ts';
import {
  ACCOUNTABILITY_BASES,
  ACCOUNTABILITY_KINDS,
  AccountabilityInput,
  HANDOVER_SOURCES,
  HandoverDocument,
  LEAD_OUTCOMES,
  SCORE_COMPONENTS,
} from '../../oversight/index.ts';
import { REGISTERS, WEAKNESS_LEVELS, type RegisterKind } from '../../services/registers.ts';
import { SCORECARD_LEVELS } from '../../services/scorecards.ts';
import type { Role } from '../../store/users.ts';
import { requireRole } from '../guards.ts';

/**
 * Registers, accountability measures, leads from above and scorecards (docs/DOMAIN.md
 * "Registers", "Leads from above", "Scorecards"). Who may:
 * - read registers, the signs of weak enforcement, scorecards and the leads report: the
 *   offices (not field chiefs), over what they see;
 * - record 约谈 / 通报批评 (a level above the unit) and rewards / penalties: supervisors,
 *   province monitors, city reviewers and county officers, inside their scope;
 * - hand over a lead: supervisors, province monitors and city reviewers (inspectorate, media,
 *   higher authority), county officers too for `manual` (the lifecycle's finders decide).
 */
const OFFICES: Role[] = [
  'province_monitor',
  'city_reviewer',
  'county_officer',
  'supervisor',
  'admin',
];
const MEASURE_MAKERS: Role[] = [
  'supervisor',
  'province_monitor',
  'city_reviewer',
  'county_officer',
];
const LEAD_TAKERS: Role[] = ['supervisor', 'province_monitor', 'city_reviewer', 'county_officer'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const Year = z.coerce.number().int().min(2000).max(2200);
const Err = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    field: z.string().optional(),
    details: z.unknown().optional(),
  }),
});
const Errors = { 400: Err, 401: Err, 403: Err, 404: Err, 409: Err };

/**
 * Register rows one reply carries: a province's year of 挂牌督办 or 移交 runs to thousands,
 * and the whole of it is the xlsx beside it.
 */
const REGISTER_ROWS = 2000;

const Filter = z.object({
  region: z
    .string()
    .regex(/^\d{2,12}$/)
    .optional()
    .describe('the case’s (or measure’s) unit code prefix'),
  period: z
    .string()
    .regex(/^\d{4}(-\d{2})?$/)
    .optional()
    .describe('YYYY or YYYY-MM'),
  unit: z
    .string()
    .regex(/^\d{2,12}$/)
    .optional()
    .describe(
      'the unit of the person named (who made the verdict, recorded, transferred or listed)',
    ),
  person: z.string().trim().min(1).max(50).optional().describe('part of a name on the row'),
});

const CaseRef = {
  polygonId: z.number(),
  polygonCode: z.string(),
  period: z.string(),
  jurisdictionCode: z.string(),
};
const S = z.string();
const N = z.string().nullable();
const ROWS: Record<RegisterKind, z.ZodType> = {
  interference: z.object({
    ...CaseRef,
    recordedAt: S,
    recordedBy: S,
    occurredAt: S,
    interfererName: S,
    interfererPosition: N,
    interfererOrganisation: N,
    how: S,
    description: S,
  }),
  overturned: z.object({
    ...CaseRef,
    checkedAt: S,
    checkedBy: S,
    finding: S,
    correctCategory: S,
    verdictCategory: N,
    verdictBy: N,
    verdictAt: N,
  }),
  transfers: z.object({
    ...CaseRef,
    to: z.enum(['police', 'discipline', 'procuratorate']),
    docNo: S,
    reason: S,
    transferredAt: S,
    transferredBy: S,
    receiptNo: N,
    receivedAt: N,
    outcome: z.enum(TRANSFER_OUTCOMES).nullable(),
    outcomeNote: N,
    outcomeAt: N,
  }),
  listings: z.object({
    ...CaseRef,
    authority: S,
    docNo: S,
    listedAt: S,
    listedBy: S,
    deadline: N,
    requirements: N,
    status: S,
    progress: z.array(z.object({ at: S, by: S, progress: S })),
    liftedAt: N,
    liftedDocNo: N,
    liftedReason: N,
  }),
  summons: z.never(),
  criticism: z.never(),
  referrals: z.never(),
  rewards: z.never(),
  penalties: z.never(),
};
const Measure = z.object({
  id: z.number(),
  kind: z.enum(ACCOUNTABILITY_KINDS),
  jurisdictionCode: S,
  personName: S.optional(),
  personPosition: S.optional(),
  year: z.number(),
  basis: z.enum(ACCOUNTABILITY_BASES),
  docNo: S,
  issuedOn: S,
  issuingBody: S,
  reason: S,
  note: S,
  recordedBy: z.number().nullable(),
  recordedAt: S,
});
for (const k of ['summons', 'criticism', 'referrals', 'rewards', 'penalties'] as const)
  ROWS[k] = Measure;
const People = z
  .record(z.string(), z.object({ name: S, unitCode: S, unitName: N }))
  .describe('the people the rows name, by id');

const ShareOf = z.object({
  count: z.number(),
  of: z.number(),
  share: z.number().nullable(),
  flagged: z.boolean(),
});
const Component = z.object({ count: z.number(), of: z.number(), value: z.number().nullable() });

export const supervisionRoutes: FastifyPluginAsyncZod = async (app) => {
  const svc = () => app.services;

  for (const kind of REGISTERS) {
    app.get(
      `/api/oversight/registers/${kind}`,
      {
        schema: {
          tags: ['oversight'],
          summary: `Register across cases: ${kind}, filtered by region, period, unit and person, with its count`,
          querystring: Filter.extend({
            limit: z.coerce
              .number()
              .int()
              .min(1)
              .max(REGISTER_ROWS)
              .default(REGISTER_ROWS)
              .describe(`rows to answer (at most ${REGISTER_ROWS}); count is every match`),
          }),
          response: {
            200: z.object({
              kind: z.literal(kind),
              count: z.number().describe('every row matching the filter'),
              items: z.array(ROWS[kind]),
              people: People,
            }),
            ...Errors,
          },
        },
      },
      async (req) => {
        const { limit, ...filter } = req.query;
        const r = await svc().registers.register(requireRole(req, ...OFFICES), kind, filter);
        // The first rows only: the whole register is the xlsx (the office app says so).
        return { ...r, kind, items: r.items.slice(0, limit) };
      },
    );
    app.get(
      `/api/oversight/registers/${kind}/xlsx`,
      {
        schema: {
          tags: ['oversight'],
          summary: `Register ${kind} as xlsx with Chinese headers`,
          querystring: Filter,
          response: { 200: binary('the register, as an attachment', XLSX), ...Errors },
        },
      },
      async (req, reply) => {
        const f = await svc().registers.registerXlsx(requireRole(req, ...OFFICES), kind, req.query);
        return reply
          .type(XLSX)
          .header(
            'content-disposition',
            `attachment; filename*=UTF-8''${encodeURIComponent(f.name)}`,
          )
          .send(f.bytes);
      },
    );
  }

  app.post(
    '/api/oversight/measures',
    {
      schema: {
        tags: ['oversight'],
        summary:
          'Record 约谈, 通报批评, 移交纪检监察, a reward or a penalty about a unit (and person), with its event in the record',
        body: AccountabilityInput,
        response: { 201: Measure, ...Errors },
      },
    },
    async (req, reply) => {
      const r = await svc().registers.recordMeasure(requireRole(req, ...MEASURE_MAKERS), req.body);
      return reply.status(201).send({ ...r, recordedAt: r.recordedAt.toISOString() });
    },
  );

  app.get(
    '/api/oversight/weak-enforcement',
    {
      schema: {
        tags: ['oversight'],
        summary:
          'Signs of weak enforcement per unit and year: share overdue, share overturned on spot checks, share not restored at year end',
        querystring: z.object({ year: Year, level: z.enum(WEAKNESS_LEVELS).default('county') }),
        response: {
          200: z.object({
            year: z.number(),
            level: z.string(),
            items: z.array(
              z.object({
                unit: S,
                name: N,
                cases: z.number(),
                overdue: ShareOf,
                overturned: ShareOf,
                notRestored: ShareOf,
              }),
            ),
          }),
          ...Errors,
        },
      },
    },
    async (req) =>
      svc().registers.weakness(requireRole(req, ...OFFICES), req.query.year, req.query.level),
  );

  app.post(
    '/api/leads',
    {
      bodyLimit: 28 * 1024 * 1024,
      schema: {
        tags: ['oversight'],
        summary:
          'Hand over a lead from above (督察, 媒体, 上级交办, 手工): polygon, document and its file; the 图斑 enters the lifecycle in its village',
        body: z.object({
          source: z.enum(HANDOVER_SOURCES),
          geometry: z.unknown().describe('GeoJSON Polygon or MultiPolygon in lon/lat'),
          document: HandoverDocument,
          file: z
            .object({
              name: z.string().trim().min(1).max(200),
              contentBase64: z
                .string()
                .min(1)
                .max(28 * 1024 * 1024),
            })
            .optional(),
        }),
        response: {
          201: z.object({
            polygonId: z.number(),
            code: S,
            jurisdictionCode: S,
            countyCode: S,
            fileSha256: N,
          }),
          ...Errors,
        },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await svc().leads.create(requireRole(req, ...LEAD_TAKERS), req.body)),
  );

  const ReportQuery = z.object({
    from: z.iso.date().optional(),
    to: z.iso.date().optional(),
    source: z.enum(HANDOVER_SOURCES).optional(),
  });
  app.get(
    '/api/leads/report',
    {
      schema: {
        tags: ['oversight'],
        summary:
          'What became of the leads handed over between two document dates: each lead and counts per source and outcome',
        querystring: ReportQuery,
        response: {
          200: z.object({
            from: N,
            to: N,
            items: z.array(
              z.object({
                polygonId: z.number(),
                polygonCode: S,
                source: S,
                docNo: S,
                docDate: S,
                issuingBody: S,
                jurisdictionCode: S,
                status: S,
                outcome: z.enum(LEAD_OUTCOMES),
                caseNo: N,
                fileSha256: N,
              }),
            ),
            counts: z.array(
              z.object({
                source: S,
                total: z.number(),
                outcomes: z.record(z.string(), z.number()),
              }),
            ),
          }),
          ...Errors,
        },
      },
    },
    async (req) => svc().leads.report(requireRole(req, ...OFFICES), req.query),
  );
  app.get(
    '/api/leads/report/xlsx',
    {
      schema: {
        tags: ['oversight'],
        summary: 'The leads report as xlsx with Chinese headers',
        querystring: ReportQuery,
        response: { 200: binary('the report, as an attachment', XLSX), ...Errors },
      },
    },
    async (req, reply) => {
      const f = await svc().leads.reportXlsx(requireRole(req, ...OFFICES), req.query);
      return reply
        .type(XLSX)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.name)}`)
        .send(f.bytes);
    },
  );

  const ScoreQuery = z.object({ year: Year, level: z.enum(SCORECARD_LEVELS).default('township') });
  app.get(
    '/api/oversight/scorecards',
    {
      schema: {
        tags: ['oversight'],
        summary:
          'Scorecards of townships or villages for a year: patrol rate, verification on time, overturned, early stops, resumed building; weighted score and rank',
        querystring: ScoreQuery,
        response: {
          200: z.object({
            year: z.number(),
            level: z.enum(SCORECARD_LEVELS),
            items: z.array(
              z.object({
                unit: S,
                name: S,
                components: z.object(
                  Object.fromEntries(SCORE_COMPONENTS.map((c) => [c, Component])) as Record<
                    (typeof SCORE_COMPONENTS)[number],
                    typeof Component
                  >,
                ),
                score: z.number().nullable(),
                rank: z.number().nullable(),
              }),
            ),
          }),
          ...Errors,
        },
      },
    },
    async (req) =>
      svc().scorecards.scorecards(requireRole(req, ...OFFICES), req.query.year, req.query.level),
  );
  app.get(
    '/api/oversight/scorecards/xlsx',
    {
      schema: {
        tags: ['oversight'],
        summary: 'Scorecards as xlsx with Chinese headers',
        querystring: ScoreQuery,
        response: { 200: binary('the scorecards, as an attachment', XLSX), ...Errors },
      },
    },
    async (req, reply) => {
      const f = await svc().scorecards.scorecardsXlsx(
        requireRole(req, ...OFFICES),
        req.query.year,
        req.query.level,
      );
      return reply
        .type(XLSX)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.name)}`)
        .send(f.bytes);
    },
  );
};
