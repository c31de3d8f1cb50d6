import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CasesConfigSchema } from '../../cases/config.ts';
import { DeadlineRuleSchema } from '../../cases/deadline-config.ts';
import { provinceSettings, updateProvinceSettings } from '../../services/province-settings.ts';
import { principalOf, storeOf } from '../guards.ts';
import { ErrorBody } from '../schemas.ts';

const Choice = z.object({
  code: z.string().regex(/^[a-z][a-z0-9_]*$/),
  label: z.string().trim().min(1).max(100),
  labelEn: z.string().trim().min(1).max(200).optional(),
});
const Choices = z.array(Choice).min(1).max(100);

/**
 * What a province may change from the office app: the parts of the cases configuration a bureau
 * actually adjusts each year (holidays and 调休 days, deadline rules, reminder and escalation
 * days, major-case thresholds, the minimum photos, the reason lists). The grid ladder and the
 * early-close branches stay with the operator: changing them re-routes every open case.
 */
const SettingsPatch = z
  .object({
    deadlines: z
      .object({
        holidays: z.array(z.iso.date()).max(200),
        makeupWorkdays: z.array(z.iso.date()).max(100),
        rules: z.record(z.string(), DeadlineRuleSchema),
        remindDaysBefore: z.array(z.number().min(0).max(60)).max(10),
        escalateDaysAfter: z.array(z.number().min(0).max(365)).min(1).max(10),
      })
      .partial()
      .strict(),
    majorCase: z
      .object({
        permanentBasicFarmlandMu: z.number().positive(),
        farmlandMu: z.number().positive(),
        otherAgriculturalMu: z.number().positive(),
      })
      .partial()
      .strict(),
    verification: z.object({ minPhotos: z.int().min(1).max(20) }).strict(),
    determination: z
      .object({
        illegalSubtypes: Choices,
        otherReasons: Choices,
        ruralHousingReasons: z.array(Choice).max(100),
      })
      .partial()
      .strict(),
    dismissalReasons: Choices,
  })
  .partial()
  .strict();

const Settings = z.object({
  province: z.string(),
  year: z.number(),
  config: CasesConfigSchema,
  /** Top-level parts the province set itself; the rest are the national defaults. */
  overridden: z.array(z.string()),
});

/** The province's rules (省级设置): read by any user, changed by the province administrator, each change in the record. */
export const settingsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/settings',
    {
      schema: {
        tags: ['settings'],
        summary: 'The rules in force in my province: holidays, deadlines, thresholds, reason lists',
        response: { 200: Settings },
      },
    },
    async (req) =>
      storeOf(req).transaction((q) => provinceSettings(q, principalOf(req), app.services.now())),
  );

  app.post(
    '/api/settings',
    {
      schema: {
        tags: ['settings'],
        summary:
          'Change my province’s rules (province admin); merged, validated, and recorded in the hash-chained record',
        body: SettingsPatch,
        response: { 200: Settings, 400: ErrorBody, 403: ErrorBody },
      },
    },
    async (req) =>
      storeOf(req).transaction((q, scope) =>
        updateProvinceSettings(q, scope, principalOf(req), req.body, app.services.now()),
      ),
  );
};
