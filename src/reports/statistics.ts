/**
 * The statistical report (统计报表) of one unit and period, rolled up and broken down one
 * level: a row per unit below (a city's report has a row per county) and a total row. Pure:
 * the 图斑 with their case states in, the table out.
 *
 * Totals add up: every 亩 figure is taken per 图斑 to two decimals and summed in hundredths
 * of a 亩 (whole numbers), so a total row is exactly the sum of the rows above it. Rates are
 * worked out from each row's own counts, never summed.
 */
import { JURISDICTION_LEVELS, prefixAt, type JurisdictionLevel } from '../grid/index.ts';
import {
  farmlandMuOf,
  illegalRatios,
  occupationOf,
  pbfMuOf,
  type OversightCase,
  type OversightConfig,
} from '../oversight/index.ts';
import {
  REPORT_TABLES,
  SOURCE_LABELS,
  type ReportColumn,
  type ReportTableSpec,
} from './columns.ts';
import type { ReportPeriod } from './period.ts';

/** A 图斑 as the report reads it: the oversight view of its case plus source, status, area. */
export interface ReportCase extends OversightCase {
  source: string;
  status: string;
  areaMu: number;
}

export interface ReportUnit {
  code: string;
  name: string;
  level: JurisdictionLevel;
}

export interface StatisticsInput {
  unit: ReportUnit;
  /** The units one level below, in the order the rows should take. */
  children: readonly { code: string; name: string }[];
  childLevel: JurisdictionLevel;
  period: ReportPeriod;
  /** The 图斑 of the period under the unit. */
  cases: readonly ReportCase[];
  /** The clock deadlines are judged against (逾期). */
  now: Date;
  /** The oversight rules of a province (src/oversight), for the illegal-occupation ratio. */
  configOf: (province: string) => OversightConfig;
}

export interface ReportRow {
  /** The unit's code; null for the total and for 图斑 not yet placed below the unit. */
  code: string | null;
  name: string;
  kind: 'unit' | 'unplaced' | 'total';
  /** By column key: 宗, 亩 (two decimals), or a share 0–1 (null: nothing to divide by). */
  values: Record<string, number | null>;
}

export interface ReportTable extends ReportTableSpec {
  rows: ReportRow[];
  total: ReportRow;
}

export interface StatisticalReport {
  /** 晋城市2026年11月卫片执法图斑统计报表 */
  title: string;
  unit: ReportUnit;
  childLevel: JurisdictionLevel;
  period: ReportPeriod;
  /** When the report was made (ISO instant). */
  generatedAt: string;
  tables: ReportTable[];
  /** How the rates are worked out, printed under the tables. */
  notes: string[];
}

/** The level a report of `level` is broken down to; a village has none. */
export function childLevelOf(level: JurisdictionLevel): JurisdictionLevel | null {
  const i = JURISDICTION_LEVELS.indexOf(level);
  return i >= 0 && i < JURISDICTION_LEVELS.length - 1 ? JURISDICTION_LEVELS[i + 1] : null;
}

/** What the rows say of units that are not one: 图斑 coded above the breakdown level. */
const UNPLACED_NAME: Partial<Record<JurisdictionLevel, string>> = {
  city: '未落到市',
  county: '未落到县',
  township: '未落到乡镇',
  village: '未落到村',
};

export const REPORT_NOTES = [
  '数量单位：宗；面积单位：亩（每个图斑取两位小数后合计）。',
  '整改率＝违法图斑中复核通过或已结案的宗数÷违法图斑宗数。',
  '违法占用耕地比例＝违法新增占用耕地面积÷新增建设占用耕地面积（违法新增与合法），按本期图斑计算，存量与其他不计。',
  '逾期未办：截至制表时有已到期未完成期限的未结案图斑。',
];

/** Counters of one row: 宗 and hundredths of a 亩, whole numbers so that sums are exact. */
type Tally = Map<string, number>;

// Through 12 significant digits first: 1.005 × 100 is 100.49999… in binary, and should round up.
const cents = (mu: number) => Math.round(Number((mu * 100).toPrecision(12)));

function add(t: Tally, key: string, n = 1): void {
  t.set(key, (t.get(key) ?? 0) + n);
}

/** Adds one 图斑 to a row's counters (the column keys of columns.ts; `*Mu` in hundredths). */
function tallyCase(t: Tally, c: ReportCase, now: Date): void {
  const s = c.state;
  add(t, 'found');
  add(t, 'foundMu', cents(c.areaMu));
  if (c.source in SOURCE_LABELS) add(t, `src_${c.source}`);
  if (s?.verification) add(t, 'verified');
  const farm = cents(farmlandMuOf(c));
  const pbf = cents(pbfMuOf(c));
  const category = s?.determination?.category;
  if (category) {
    add(t, category);
    add(t, `${category}FarmMu`, farm);
    add(t, `${category}PbfMu`, pbf);
  } else add(t, 'undetermined');
  const kind = occupationOf(c);
  if (kind === 'illegal_new') {
    add(t, 'illegalNew');
    add(t, 'illegalNewFarmMu', farm);
  }
  if (kind === 'illegal_legacy') add(t, 'illegalLegacy');
  // The denominator of the illegal-occupation ratio (src/oversight/illegal-ratio.ts).
  if (kind === 'illegal_new' || kind === 'lawful') add(t, 'constructionMu', farm);
  if (!s) return;
  if (s.stop) add(t, 'stopped');
  if (s.caseFile) {
    add(t, 'filed');
    add(t, `filed_${s.caseFile.mode}`);
  }
  if (s.decision) {
    add(t, 'decided');
    for (const m of new Set(s.decision.measures.map((x) => x.kind))) add(t, `m_${m}`);
  }
  if (s.enforcement) add(t, 'enforced');
  if (s.rectification) add(t, 'rectified');
  const recheckedOk = s.rechecks.some((r) => r.passed);
  if (recheckedOk) add(t, 'rechecked');
  for (const to of new Set(s.transfers.map((x) => x.to))) add(t, `t_${to}`);
  const nowMs = now.getTime();
  if (s.status !== 'closed' && s.deadlines.some((d) => !d.doneAt && Date.parse(d.dueAt) < nowMs))
    add(t, 'overdue');
  if (category === 'illegal' && (recheckedOk || s.status === 'closed')) add(t, 'illegalDone');
}

/** The values of one row for one table, from its counters and its cases' ratio. */
function valuesOf(
  columns: readonly ReportColumn[],
  t: Tally,
  ratio: number | null,
): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const c of columns) {
    if (c.key === 'rectificationRate') {
      const illegal = t.get('illegal') ?? 0;
      out[c.key] = illegal > 0 ? (t.get('illegalDone') ?? 0) / illegal : null;
    } else if (c.key === 'illegalRatio') out[c.key] = ratio;
    else if (c.kind === 'mu') out[c.key] = (t.get(c.key) ?? 0) / 100;
    else out[c.key] = t.get(c.key) ?? 0;
  }
  return out;
}

/**
 * The illegal-occupation ratio of a group of 图斑 as src/oversight computes it (one unit: the
 * report's own, which every case of the report lies in), as a share 0–1.
 */
function ratioOf(cases: readonly ReportCase[], input: StatisticsInput): number | null {
  const level = input.unit.level;
  const [r] = illegalRatios(cases, input.period.year, level, input.configOf, [input.unit.code]);
  return r?.ratioPercent == null ? null : r.ratioPercent / 100;
}

/**
 * The report's tables: a row per unit below (in the order given, every one listed even with
 * nothing in it), a row for 图斑 coded above that level when there are any, and the total.
 * @example statisticalReport({ unit: 晋城市, children: counties, childLevel: 'county', … }).tables[0].total
 */
export function statisticalReport(input: StatisticsInput, generatedAt: Date): StatisticalReport {
  const unitPrefix = prefixAt(input.unit.code, input.unit.level);
  const groups = new Map<
    string,
    { row: Omit<ReportRow, 'values'>; cases: ReportCase[]; tally: Tally }
  >();
  for (const ch of input.children)
    groups.set(prefixAt(ch.code, input.childLevel), {
      row: { code: ch.code, name: ch.name, kind: 'unit' },
      cases: [],
      tally: new Map(),
    });
  const unplaced = {
    row: {
      code: null,
      name: UNPLACED_NAME[input.childLevel] ?? '未落到下级',
      kind: 'unplaced' as const,
    },
    cases: [] as ReportCase[],
    tally: new Map() as Tally,
  };
  const total: Tally = new Map();
  const inside = input.cases.filter((c) => c.jurisdictionCode.startsWith(unitPrefix));
  for (const c of inside) {
    const g = groups.get(prefixAt(c.jurisdictionCode, input.childLevel)) ?? unplaced;
    g.cases.push(c);
    tallyCase(g.tally, c, input.now);
    tallyCase(total, c, input.now);
  }
  const rowGroups = [...groups.values(), ...(unplaced.cases.length ? [unplaced] : [])];
  const totalRatio = ratioOf(inside, input);
  const ratios = rowGroups.map((g) => ratioOf(g.cases, input));
  const tables = REPORT_TABLES.map((spec) => ({
    ...spec,
    rows: rowGroups.map((g, i) => ({
      ...g.row,
      values: valuesOf(spec.columns, g.tally, ratios[i]),
    })),
    total: {
      code: input.unit.code,
      name: '合计',
      kind: 'total' as const,
      values: valuesOf(spec.columns, total, totalRatio),
    },
  }));
  return {
    title: `${input.unit.name}${input.period.label}卫片执法图斑统计报表`,
    unit: input.unit,
    childLevel: input.childLevel,
    period: input.period,
    generatedAt: generatedAt.toISOString(),
    tables,
    notes: REPORT_NOTES,
  };
}
