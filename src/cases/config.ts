/**
 * Rules that differ by province or year are configuration, never constants in code
 * (docs/DOMAIN.md "Configuration"): determination categories and reasons, the rural-housing 八不准, desk-dismissal
 * reasons, evidence minimums, joint-review size, major-case thresholds, the grid ladder and the
 * deadline rules. The defaults follow the national rules; a province (and a province-year)
 * overrides any part, and the merged result is validated once with zod.
 */
import { z } from 'zod';
import { DEFAULT_GRID_PREFIX_LENGTHS } from '../grid/index.ts';
import { DeadlineConfigSchema, DEFAULT_DEADLINE_CONFIG } from './deadline-config.ts';
import { parseOrThrow } from './validate.ts';

const Code = z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower_snake_case code');
/** A configured choice: its stored code, its label (Chinese, the users' own term) and an English label for the English UI. */
const Labelled = z.object({
  code: Code,
  label: z.string().min(1),
  labelEn: z.string().min(1).optional(),
});

export const CasesConfigSchema = z.object({
  determination: z.object({
    /** 违法 subtypes by build year: 新增 (this period) / 存量 (legacy). */
    illegalSubtypes: z.array(Labelled).min(1),
    /** 其他: not illegal, not a permitted project either. */
    otherReasons: z.array(Labelled).min(1),
    /** Rural-housing 八不准 reasons an illegal verdict may cite. */
    ruralHousingReasons: z.array(Labelled),
    /** Categories that close right after review, without stop or case (the early branches). */
    closeEarly: z.array(z.enum(['lawful', 'other'])),
  }),
  /** Why a monitoring analyst may dismiss a machine-found polygon as 伪变化 before pushing it. */
  dismissalReasons: z.array(Labelled).min(1),
  verification: z.object({ minPhotos: z.int().min(1) }),
  /** 集体审议: distinct people who must sign a major case before its decision. */
  jointReview: z.object({ requiredSignOffs: z.int().min(2) }),
  /**
   * Major-case thresholds in 亩. Defaults are the criminal filing thresholds for 非法占用农用地罪
   * (最高检、公安部 立案追诉标准（一）第67条: 永久基本农田 ≥ 5 亩, other 耕地 ≥ 10 亩, other
   * farmland ≥ 20 亩), which also mark a case for transfer to the police (行刑衔接).
   */
  majorCase: z.object({
    permanentBasicFarmlandMu: z.number().positive(),
    farmlandMu: z.number().positive(),
    otherAgriculturalMu: z.number().positive(),
  }),
  gridPrefixLengths: z.array(z.int().min(1).max(20)).min(3),
  deadlines: DeadlineConfigSchema,
});
export type CasesConfig = z.infer<typeof CasesConfigSchema>;

const l = (code: string, label: string, labelEn: string) => ({ code, label, labelEn });

export const DEFAULT_CASES_CONFIG: CasesConfig = {
  determination: {
    illegalSubtypes: [
      l('new', '新增', 'New (this period)'),
      l('legacy', '存量', 'Legacy (earlier years)'),
    ],
    otherReasons: [
      l('false_change', '伪变化', 'False change'),
      l('rural_road', '农村道路', 'Rural road'),
      l('facility_farmland', '设施农用地', 'Agricultural facility land'),
      l('temporary_use', '临时用地', 'Temporary use'),
      l('internal_adjustment', '耕地内部调整', 'Adjustment within farmland'),
      l('disaster_damage', '自然灾害损毁', 'Damaged by natural disaster'),
      l('other', '其他', 'Other'),
    ],
    ruralHousingReasons: [
      l(
        'on_permanent_basic_farmland',
        '不准占用永久基本农田建房',
        'No houses on permanent basic farmland',
      ),
      l(
        'forcible_occupation',
        '不准强占多占耕地建房',
        'No forcible or excess occupation of farmland for houses',
      ),
      l(
        'buying_farmland',
        '不准买卖、流转耕地违法建房',
        'No buying, selling or transferring farmland to build',
      ),
      l(
        'on_contracted_farmland',
        '不准在承包耕地上违法建房',
        'No illegal houses on contracted farmland',
      ),
      l(
        'invented_pretext',
        '不准巧立名目违法占用耕地建房',
        'No occupying farmland for houses under invented pretexts',
      ),
      l(
        'second_homestead',
        '不准违反“一户一宅”规定占用耕地建房',
        'No farmland for a second homestead ("one household, one homestead")',
      ),
      l(
        'selling_houses',
        '不准非法出售占用耕地建的房屋',
        'No illegal sale of houses built on farmland',
      ),
      l(
        'illegal_approval',
        '不准违法审批占用耕地建房',
        'No illegal approval of houses on farmland',
      ),
    ],
    closeEarly: ['lawful', 'other'],
  },
  dismissalReasons: [
    l('cloud_shadow', '云及阴影', 'Cloud or shadow'),
    l('seasonal_crop', '季节性作物变化', 'Seasonal crop change'),
    l('misregistration', '影像配准误差', 'Image misregistration'),
    l('water_level', '水位变化', 'Water level change'),
    l('duplicate', '重复图斑', 'Duplicate polygon'),
  ],
  verification: { minPhotos: 2 },
  jointReview: { requiredSignOffs: 3 },
  majorCase: { permanentBasicFarmlandMu: 5, farmlandMu: 10, otherAgriculturalMu: 20 },
  gridPrefixLengths: [...DEFAULT_GRID_PREFIX_LENGTHS],
  deadlines: DEFAULT_DEADLINE_CONFIG,
};

/** One layer of overrides: a whole province (`year` absent) or one province-year. */
export interface CasesConfigOverride {
  /** 2-digit province code, e.g. '14' for Shanxi. */
  province: string;
  year?: number;
  config: unknown;
}

/**
 * The configuration in force for a province and year: national defaults, then the province's
 * overrides, then the province-year's, merged (objects key by key, arrays replaced whole) and
 * validated. Bad configuration throws bad_input naming the field.
 * @example resolveCasesConfig({ province: '14', year: 2026 }, overrides).deadlines.rules.verify
 */
export function resolveCasesConfig(
  where: { province: string; year: number },
  overrides: readonly CasesConfigOverride[] = [],
): CasesConfig {
  let merged: unknown = DEFAULT_CASES_CONFIG;
  const mine = overrides.filter((o) => o.province === where.province);
  for (const o of mine.filter((x) => x.year === undefined)) merged = mergeConfig(merged, o.config);
  for (const o of mine.filter((x) => x.year === where.year)) merged = mergeConfig(merged, o.config);
  return parseOrThrow(
    CasesConfigSchema,
    merged,
    `configuration for province ${where.province} year ${where.year}`,
  );
}

/**
 * Deep merge for plain JSON objects; arrays and scalars in `over` replace those in `base`.
 * Hand-written (10 lines) because replacing arrays whole is the rule we want — a province that
 * lists its own reasons lists them all — and general merge libraries concatenate or index-merge.
 */
function mergeConfig(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = mergeConfig(base[k], v);
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
