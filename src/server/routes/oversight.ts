import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DUTY_KINDS, LEDGER_KINDS } from '../../oversight/index.ts';
import { RATIO_LEVELS } from '../../services/oversight.ts';
import type {
  DutyRecord,
  LedgerEntry,
  ReplacementRecord,
  SweepRecord,
} from '../../store/oversight-sanctions.ts';
import type { Role } from '../../store/users.ts';
import { principalOf, requireRole } from '../guards.ts';
import { paged, pageQuery, pageRequest, readPage } from '../paging.ts';

/**
 * Oversight (严查处): the illegal-occupation ratio per unit and year, the counties' reserve
 * quota ledgers, the duties of the year-end sweep and 补划 by replacement parcels. Who may:
 * - the indicator: anyone logged in, over what they see;
 * - ledgers, duties and sweeps: the offices (not field chiefs), in their scope;
 * - opening balances, additions and the sweep: province monitors, supervisors, administrators
 *   (a county does not book its own quota);
 * - 补划 parcels: the county officer of the county (their scope) and the monitors above.
 */
const OFFICES: Role[] = [
  'province_monitor',
  'city_reviewer',
  'county_officer',
  'supervisor',
  'admin',
];
const LEDGER_KEEPERS: Role[] = ['province_monitor', 'supervisor', 'admin'];
const REDESIGNATORS: Role[] = ['county_officer', 'city_reviewer', 'province_monitor'];

/** Duties per page: one or two per illegal 图斑 a year, so a province's run to thousands. */
const DUTY_PAGE = { cap: 1000, dflt: 1000 };

const Year = z.coerce.number().int().min(2000).max(2200);
const County = z.string().regex(/^\d{6}$/, 'a 6-digit county code');
const Err = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    field: z.string().optional(),
    details: z.unknown().optional(),
  }),
});
const Errors = { 400: Err, 401: Err, 403: Err, 404: Err, 409: Err };

const RatioItem = z.object({
  unit: z.string().describe('the unit’s code prefix: county 140525, city 1405, province 14'),
  name: z.string().nullable(),
  level: z.string(),
  year: z.number(),
  illegalMu: z.number().describe('耕地 亩 newly occupied illegally (违法 新增), two decimals'),
  constructionMu: z
    .number()
    .describe('耕地 亩 newly occupied by construction, lawful and illegal, two decimals'),
  ratioPercent: z
    .number()
    .nullable()
    .describe('illegal ÷ construction in %, two decimals; null when nothing was occupied'),
  thresholdPercent: z.number(),
  warningPercent: z.number(),
  areaFloorMu: z.number(),
  exceeded: z.boolean(),
  warning: z.boolean(),
  rank: z.number().nullable(),
  illegalCaseIds: z.array(z.number()),
  constructionCaseIds: z.array(z.number()),
});

const Ledger = z.object({
  id: z.number(),
  countyCode: z.string(),
  seq: z.number(),
  kind: z.enum(LEDGER_KINDS),
  changeMu: z.number(),
  balanceMu: z.number(),
  grade: z.string().nullable(),
  dutyId: z.number().nullable(),
  note: z.string(),
  createdBy: z.number().nullable(),
  createdAt: z.string(),
});
const ledgerView = (e: LedgerEntry) => ({ ...e, createdAt: e.createdAt.toISOString() });

const Duty = z.object({
  id: z.number(),
  kind: z.enum(DUTY_KINDS),
  polygonId: z.number(),
  polygonCode: z.string(),
  jurisdictionCode: z.string(),
  countyCode: z.string(),
  year: z.number(),
  mu: z.number(),
  grade: z.string().nullable(),
  dueDate: z.string().nullable(),
  status: z.enum(['open', 'done']),
  sweepId: z.number().nullable(),
  createdAt: z.string(),
  doneAt: z.string().nullable(),
});
const dutyView = (d: DutyRecord) => ({
  ...d,
  createdAt: d.createdAt.toISOString(),
  doneAt: d.doneAt?.toISOString() ?? null,
});

const Replacement = z.object({
  id: z.number(),
  dutyId: z.number(),
  areaMu: z.number(),
  farmlandMu: z.number(),
  registeredBy: z.number().nullable(),
  registeredAt: z.string(),
});
const replacementView = (r: ReplacementRecord) => ({
  id: r.id,
  dutyId: r.dutyId,
  areaMu: r.areaMu,
  farmlandMu: r.farmlandMu,
  registeredBy: r.registeredBy,
  registeredAt: r.registeredAt.toISOString(),
});

const Sweep = z.object({
  id: z.number(),
  scopePrefix: z.string(),
  year: z.number(),
  jobId: z.string().nullable(),
  runBy: z.number().nullable(),
  runAt: z.string(),
  casesSwept: z.number(),
  dutiesRaised: z.number(),
});
const sweepView = (s: SweepRecord) => ({ ...s, runAt: s.runAt.toISOString() });

const Check = z.object({
  accepted: z.boolean(),
  farmlandMu: z.number(),
  requiredMu: z.number(),
  parcels: z.array(
    z.object({
      index: z.number(),
      areaMu: z.number(),
      farmlandMu: z.number(),
      pbfMu: z.number(),
      problems: z.array(z.string()),
    }),
  ),
  problems: z.array(z.string()),
  messages: z.array(z.string()),
});

export const oversightRoutes: FastifyPluginAsyncZod = async (app) => {
  const svc = () => app.services;

  app.get(
    '/api/oversight/illegal-ratio',
    {
      schema: {
        tags: ['oversight'],
        summary:
          '违法占用耕地面积比例: per unit in my scope and year, numerator and denominator in 亩, the line, warning and the cases behind each',
        querystring: z.object({ year: Year, level: z.enum(RATIO_LEVELS).default('county') }),
        response: {
          200: z.object({
            year: z.number(),
            level: z.enum(RATIO_LEVELS),
            items: z.array(RatioItem),
          }),
          ...Errors,
        },
      },
    },
    async (req) => svc().oversight.illegalRatio(principalOf(req), req.query.year, req.query.level),
  );

  app.get(
    '/api/oversight/ledgers',
    {
      schema: {
        tags: ['oversight'],
        summary:
          'Reserve supplementary-farmland quota (储备补充耕地指标): each county’s balance in my scope',
        response: { 200: z.object({ items: z.array(Ledger) }), ...Errors },
      },
    },
    async (req) => ({
      items: (await svc().sanctions.balances(requireRole(req, ...OFFICES))).map(ledgerView),
    }),
  );

  app.get(
    '/api/oversight/ledgers/:county',
    {
      schema: {
        tags: ['oversight'],
        summary: 'One county’s quota ledger, oldest first',
        params: z.object({ county: County }),
        response: { 200: z.object({ items: z.array(Ledger) }), ...Errors },
      },
    },
    async (req) => ({
      items: (await svc().sanctions.ledger(requireRole(req, ...OFFICES), req.params.county)).map(
        ledgerView,
      ),
    }),
  );

  app.post(
    '/api/oversight/ledgers/:county/entries',
    {
      schema: {
        tags: ['oversight'],
        summary:
          'Book an opening balance (imported once, first) or an addition on a county’s quota ledger',
        params: z.object({ county: County }),
        body: z.object({
          kind: z.enum(['opening', 'addition']),
          mu: z.number().positive().max(1e9),
          grade: z.string().trim().min(1).max(40).optional(),
          note: z.string().max(2000).default(''),
        }),
        response: { 201: Ledger, ...Errors },
      },
    },
    async (req, reply) => {
      const entry = await svc().sanctions.book(
        requireRole(req, ...LEDGER_KEEPERS),
        req.params.county,
        req.body,
      );
      return reply.status(201).send(ledgerView(entry));
    },
  );

  app.get(
    '/api/oversight/duties',
    {
      schema: {
        tags: ['oversight'],
        summary:
          'Duties of the year-end sweep in my scope: quota deductions and 补划 with their deadlines',
        querystring: z
          .object({
            year: Year.optional(),
            kind: z.enum(DUTY_KINDS).optional(),
            status: z.enum(['open', 'done']).optional(),
            polygonId: z.coerce.number().int().positive().optional(),
            ...pageQuery(DUTY_PAGE),
          })
          .omit({ total: true }),
        response: { 200: paged(Duty), ...Errors },
      },
    },
    async (req) => {
      const p = requireRole(req, ...OFFICES);
      const { cursor: _c, limit: _l, ...filter } = req.query;
      const { limit, after } = pageRequest('duties', req.query, DUTY_PAGE.cap, ['number']);
      const page = await readPage(
        'duties',
        limit,
        (n) => svc().sanctions.duties(p, { ...filter, limit: n, afterId: after?.[0] as number }),
        (d) => [d.id],
      );
      return { ...page, items: page.items.map(dutyView) };
    },
  );

  app.get(
    '/api/oversight/duties/:id',
    {
      schema: {
        tags: ['oversight'],
        summary: 'One duty with its 补划 parcels',
        params: z.object({ id: z.coerce.number().int().positive() }),
        response: { 200: z.object({ duty: Duty, replacements: z.array(Replacement) }), ...Errors },
      },
    },
    async (req) => {
      const r = await svc().sanctions.duty(requireRole(req, ...OFFICES), req.params.id);
      return { duty: dutyView(r.duty), replacements: r.replacements.map(replacementView) };
    },
  );

  app.post(
    '/api/oversight/duties/:id/replacements',
    {
      schema: {
        tags: ['oversight'],
        summary:
          '补划: register replacement parcels; the overlay verifies them (farmland, not yet PBF, enough 亩) or the error says why',
        params: z.object({ id: z.coerce.number().int().positive() }),
        body: z.object({
          parcels: z
            .array(z.object({ geometry: z.unknown() }))
            .min(1)
            .max(200),
        }),
        response: {
          200: z.object({ duty: Duty, check: Check, replacements: z.array(Replacement) }),
          ...Errors,
        },
      },
    },
    async (req) => {
      const r = await svc().sanctions.registerReplacement(
        requireRole(req, ...REDESIGNATORS),
        req.params.id,
        req.body.parcels.map((p) => p.geometry),
      );
      return {
        duty: dutyView(r.duty),
        check: r.check,
        replacements: r.replacements.map(replacementView),
      };
    },
  );

  app.post(
    '/api/oversight/year-end',
    {
      schema: {
        tags: ['oversight'],
        summary:
          '年终清查: run the year-end sweep in my scope as the job oversight.year-end (idempotent)',
        body: z.object({ year: z.int().min(2000).max(2200) }),
        response: {
          202: z.object({ id: z.string(), type: z.string(), status: z.string() }),
          ...Errors,
        },
      },
    },
    async (req, reply) => {
      const job = await svc().jobs.submit(
        requireRole(req, ...LEDGER_KEEPERS),
        'oversight.year-end',
        { year: req.body.year },
      );
      return reply.status(202).send(job);
    },
  );

  app.get(
    '/api/oversight/sweeps',
    {
      schema: {
        tags: ['oversight'],
        summary: 'Year-end sweep runs in my scope, newest first',
        querystring: z.object({ year: Year.optional() }),
        response: { 200: z.object({ items: z.array(Sweep) }), ...Errors },
      },
    },
    async (req) => ({
      items: (await svc().sanctions.sweeps(requireRole(req, ...OFFICES), req.query.year)).map(
        sweepView,
      ),
    }),
  );
};
