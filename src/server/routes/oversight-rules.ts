import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ACCOUNTABILITY_BASES,
  ACCOUNTABILITY_KINDS,
  OversightConfigSchema,
} from '../../oversight/index.ts';
import { measureSuggestions } from '../../services/oversight-suggestions.ts';
import { oversightConfigView, updateOversightConfig } from '../../services/oversight-settings.ts';
import type { Role } from '../../store/users.ts';
import { requireRole, storeOf } from '../guards.ts';
import { ErrorBody } from '../schemas.ts';

/**
 * The oversight rules per province and year (read by the offices of the province, changed by
 * province monitors and administrators, each change in the record) and the measures a year's
 * figures suggest (read by the offices; recording one is POST /api/oversight/measures).
 */
const OFFICES: Role[] = [
  'province_monitor',
  'city_reviewer',
  'county_officer',
  'supervisor',
  'admin',
];
const RULE_KEEPERS: Role[] = ['province_monitor', 'admin'];
const Errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const Year = z.coerce.number().int().min(2000).max(2200);
const Layer = z.record(z.string(), z.unknown()).nullable();

const ConfigView = z.object({
  province: z.string(),
  year: z.number(),
  defaults: OversightConfigSchema.describe('the national defaults'),
  provinceLayer: Layer.describe('the province’s own overrides, every year; null: none'),
  yearLayer: Layer.describe('the overrides of this year, on top of the province’s; null: none'),
  effective: OversightConfigSchema.describe('what is in force for the province and year'),
  history: z
    .array(
      z.object({
        at: z.string(),
        by: z.string().nullable(),
        byName: z.string().nullable(),
        province: z.string(),
        year: z.number().nullable(),
        old: z.unknown(),
        new: z.unknown(),
      }),
    )
    .describe('changes of both layers, newest first, from the record'),
});

const Suggestion = z.object({
  unitCode: z.string(),
  unitName: z.string().nullable(),
  year: z.number(),
  kind: z.enum(ACCOUNTABILITY_KINDS),
  basis: z.enum(ACCOUNTABILITY_BASES),
  reason: z.string(),
  recorded: z.boolean(),
});

export const oversightRuleRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/oversight/config',
    {
      schema: {
        tags: ['oversight'],
        summary:
          '督察规则配置: the national defaults, the province’s and the year’s overrides, what is in force, and who changed it when',
        querystring: z.object({
          province: z.string().regex(/^\d{2}$/, '省级代码为 2 位数字 / a 2-digit province code'),
          year: Year,
        }),
        response: { 200: ConfigView, ...Errors },
      },
    },
    async (req) => {
      const p = requireRole(req, ...OFFICES);
      return storeOf(req).transaction((q) =>
        oversightConfigView(q, p, req.query.province, req.query.year),
      );
    },
  );

  app.put(
    '/api/oversight/config',
    {
      schema: {
        tags: ['oversight'],
        summary:
          'Replace the province’s (year: null) or one year’s layer of the oversight rules ({} removes it); validated merged, recorded with old and new',
        body: z
          .object({
            province: z.unknown().optional(),
            year: z.unknown().optional(),
            config: z.unknown().optional(),
          })
          .describe(
            '{ province: "14", year: 2026 | null, config: any part of the rules (illegalRatio, sanctions, replacement, weakEnforcement, scorecard) }; checked by the service with Chinese messages',
          ),
        response: { 200: ConfigView, ...Errors },
      },
    },
    async (req) => {
      const p = requireRole(req, ...RULE_KEEPERS);
      return storeOf(req).transaction((q) =>
        updateOversightConfig(q, p, req.body, app.services.now()),
      );
    },
  );

  app.get(
    '/api/oversight/suggestions',
    {
      schema: {
        tags: ['oversight'],
        summary:
          'Measures the year’s figures suggest per county (约谈, 移交纪检监察, 通报批评): the 15 % line exceeded, weak enforcement flagged; none is recorded here',
        querystring: z.object({ year: Year }),
        response: {
          200: z.object({ year: z.number(), items: z.array(Suggestion) }),
          ...Errors,
        },
      },
    },
    async (req) => {
      const p = requireRole(req, ...OFFICES);
      return measureSuggestions(
        app.services,
        (fn) => storeOf(req).transaction((q) => fn(q)),
        p,
        req.query.year,
      );
    },
  );
};
