/**
 * Oversight rules that differ by province or year (docs/DOMAIN.md "Configuration"): the
 * illegal-occupation line (national 15 %), a province's additions to it (an area floor), the
 * early-warning band before it, and the year-end sanctions (which subtypes are swept, the
 * 补划 deadline). National defaults, then the province's overrides, then the province-year's.
 */
import { z } from 'zod';
import { parseOrThrow } from '../cases/validate.ts';

export const OversightConfigSchema = z.object({
  illegalRatio: z.object({
    /**
     * 《违反土地管理规定行为处分办法》 art. 3: newly occupied farmland illegally ÷ farmland newly
     * occupied by construction ≥ 15 % in a county and year → the local leaders are accountable.
     */
    thresholdPercent: z.number().positive().max(100),
    /**
     * A province's floor (亩): below this illegal area the line does not apply, e.g. "over
     * 100 亩 and over 15 % → 约谈". 0 (the national rule) applies the line at any area.
     */
    areaFloorMu: z.number().min(0),
    /** Early warning (预警) from this share of the threshold on (0.8: warn at 12 % of 15 %). */
    warningShare: z.number().gt(0).max(1),
  }),
  sanctions: z.object({
    /** Illegal subtypes swept at year end (codes of cases config `illegalSubtypes`). */
    subtypes: z.array(z.string().min(1)).min(1),
    /** Months after 31 December within which lost permanent basic farmland is re-designated (补划). */
    redesignationMonths: z.int().min(1).max(60),
    /** China time: the offset of the local day that ends the year, in minutes east of UTC. */
    utcOffsetMinutes: z.int().min(-720).max(840),
  }),
  replacement: z.object({
    /** Share of a replacement parcel that must lie on farmland (耕地) in the overlay. */
    minFarmlandShare: z.number().gt(0).max(1),
    /** Largest part of a replacement parcel that may already be permanent basic farmland, in m² (slivers). */
    maxPbfOverlapM2: z.number().min(0),
  }),
  /** Signs of weak enforcement (执法不力) per region: a share at or above its line is flagged. */
  weakEnforcement: z.object({
    overdueShare: z.number().gt(0).max(1),
    overturnedShare: z.number().gt(0).max(1),
    notRestoredShare: z.number().gt(0).max(1),
  }),
  /** Scorecards of townships and village chiefs: component weights (normalised) and the patrol window. */
  scorecard: z.object({
    weights: z.object({
      patrol: z.number().min(0),
      verifyOnTime: z.number().min(0),
      notOverturned: z.number().min(0),
      earlyStop: z.number().min(0),
      notResumed: z.number().min(0),
    }),
    /** Weeks of the year counted for the patrol rate (a chief should patrol every week). */
    patrolWeeks: z.int().min(1).max(53),
  }),
});
export type OversightConfig = z.infer<typeof OversightConfigSchema>;

/** The national defaults. */
export const DEFAULT_OVERSIGHT_CONFIG: OversightConfig = {
  illegalRatio: { thresholdPercent: 15, areaFloorMu: 0, warningShare: 0.8 },
  // 自然资办发〔2021〕33号 §3: what is still illegal at year end costs the region its reserve of
  // supplementary-farmland quota; legacy cases found this year are still illegal occupation.
  sanctions: { subtypes: ['new', 'legacy'], redesignationMonths: 6, utcOffsetMinutes: 480 },
  replacement: { minFarmlandShare: 0.95, maxPbfOverlapM2: 1 },
  weakEnforcement: { overdueShare: 0.2, overturnedShare: 0.1, notRestoredShare: 0.3 },
  // Patrol and verification are a chief's daily duty; the outcomes weigh less because a unit
  // with few cases swings on one.
  scorecard: {
    weights: { patrol: 30, verifyOnTime: 30, notOverturned: 20, earlyStop: 10, notResumed: 10 },
    patrolWeeks: 13,
  },
};

/** One layer of overrides: a whole province (`year` absent) or one province-year. */
export interface OversightConfigOverride {
  /** 2-digit province code, e.g. '14'. */
  province: string;
  year?: number;
  config: unknown;
}

/**
 * The configuration in force for a province and year, validated; bad configuration throws
 * bad_input naming the field.
 * @example resolveOversightConfig({ province: '14', year: 2026 }, []).illegalRatio.thresholdPercent // 15
 */
export function resolveOversightConfig(
  where: { province: string; year: number },
  overrides: readonly OversightConfigOverride[] = [],
): OversightConfig {
  let merged: unknown = DEFAULT_OVERSIGHT_CONFIG;
  const mine = overrides.filter((o) => o.province === where.province);
  for (const o of mine.filter((x) => x.year === undefined)) merged = merge(merged, o.config);
  for (const o of mine.filter((x) => x.year === where.year)) merged = merge(merged, o.config);
  return parseOrThrow(
    OversightConfigSchema,
    merged,
    `oversight configuration for province ${where.province} year ${where.year}`,
  );
}

// Objects merge key by key; arrays and scalars replace (a province listing subtypes lists all).
function merge(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = merge(base[k], v);
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
