/**
 * The illegal-occupation ratio (违法占用耕地面积比例) per unit and year, the indicator the
 * national accountability rule hangs on (《违反土地管理规定行为处分办法》 art. 3):
 *
 *   farmland (耕地 亩) newly occupied illegally in the year
 *   ÷ farmland newly occupied by construction in the year, lawful and illegal
 *
 * Numerator: verdict 违法 with subtype 新增. Denominator: 违法 新增 plus 合法. Legacy (存量)
 * occupation happened in an earlier year and counts in neither; 其他 (false change, facility
 * farmland, rural road, …) is not construction and counts in neither. A case belongs to the
 * year of its monitoring period (case-facts.ts `yearOf`). Pure: cases and configuration in.
 */
import { prefixAt, type JurisdictionLevel } from '../grid/index.ts';
import { farmlandMuOf, mu2, occupationOf, yearOf, type OversightCase } from './case-facts.ts';
import type { OversightConfig } from './config.ts';

/** The indicator of one unit (county, township, city or province) and year. */
export interface IllegalRatio {
  /** The unit's code prefix at its level (county '140525', city '1405', province '14'). */
  unit: string;
  level: JurisdictionLevel;
  year: number;
  /** 亩 of farmland newly occupied illegally (two decimals). */
  illegalMu: number;
  /** 亩 of farmland newly occupied by construction, lawful and illegal (two decimals). */
  constructionMu: number;
  /** illegal ÷ construction in percent, two decimals; null when nothing was occupied. */
  ratioPercent: number | null;
  thresholdPercent: number;
  /** The percentage from which an early warning is raised (threshold × warning share). */
  warningPercent: number;
  /** The province's area floor: below it the line does not apply. */
  areaFloorMu: number;
  /** At or above the line, and the illegal area at or above the floor. */
  exceeded: boolean;
  /** In the warning band (at or above the warning level) but not exceeded. */
  warning: boolean;
  /** Cases behind the numerator (违法 新增), by id. */
  illegalCaseIds: number[];
  /** Cases behind the denominator (违法 新增 and 合法), by id. */
  constructionCaseIds: number[];
}

/**
 * The indicator of every unit at `level` that has a case of `year`, plus the units named in
 * `units` (with zeros when they have none). Cases outside the year are ignored; `configOf`
 * gives the configuration of a unit's province (thresholds differ by province).
 * @example illegalRatios(cases, 2026, 'county', () => DEFAULT_OVERSIGHT_CONFIG)[0].ratioPercent
 */
export function illegalRatios(
  cases: readonly OversightCase[],
  year: number,
  level: JurisdictionLevel,
  configOf: (province: string) => OversightConfig,
  units: readonly string[] = [],
): IllegalRatio[] {
  const acc = new Map<string, { illegal: number; all: number; ill: number[]; con: number[] }>();
  const at = (unit: string) => {
    let a = acc.get(unit);
    if (!a) acc.set(unit, (a = { illegal: 0, all: 0, ill: [], con: [] }));
    return a;
  };
  for (const u of units) at(prefixAt(u, level));
  for (const c of cases) {
    if (yearOf(c) !== year) continue;
    const kind = occupationOf(c);
    if (kind !== 'illegal_new' && kind !== 'lawful') continue;
    const a = at(prefixAt(c.jurisdictionCode, level));
    const mu = farmlandMuOf(c);
    a.all += mu;
    a.con.push(c.id);
    if (kind === 'illegal_new') {
      a.illegal += mu;
      a.ill.push(c.id);
    }
  }
  return [...acc.entries()]
    .sort((x, y) => x[0].localeCompare(y[0]))
    .map(([unit, a]) => {
      const rule = configOf(unit.slice(0, 2)).illegalRatio;
      const ratio = a.all > 0 ? Math.round((a.illegal / a.all) * 10000) / 100 : null;
      const warningPercent = mu2(rule.thresholdPercent * rule.warningShare);
      const applies = a.illegal >= rule.areaFloorMu;
      const exceeded = ratio !== null && applies && ratio >= rule.thresholdPercent;
      return {
        unit,
        level,
        year,
        illegalMu: mu2(a.illegal),
        constructionMu: mu2(a.all),
        ratioPercent: ratio,
        thresholdPercent: rule.thresholdPercent,
        warningPercent,
        areaFloorMu: rule.areaFloorMu,
        exceeded,
        warning: !exceeded && ratio !== null && applies && ratio >= warningPercent,
        illegalCaseIds: a.ill.sort((x, y) => x - y),
        constructionCaseIds: a.con.sort((x, y) => x - y),
      };
    });
}

/** A unit's place in a ranking: 1 is the highest ratio (the worst). */
export interface Ranked<T> {
  rank: number;
  item: T;
}

/**
 * Ranks units by ratio, highest first; ties share a rank (1, 2, 2, 4); units with nothing
 * occupied (ratio null) come last, unranked.
 */
export function rankByRatio(items: readonly IllegalRatio[]): Ranked<IllegalRatio>[] {
  const withRatio = items
    .filter((i) => i.ratioPercent !== null)
    .sort((a, b) => b.ratioPercent! - a.ratioPercent! || a.unit.localeCompare(b.unit));
  const out: Ranked<IllegalRatio>[] = [];
  withRatio.forEach((item, i) => {
    const prev = out[i - 1];
    out.push({
      rank: prev && prev.item.ratioPercent === item.ratioPercent ? prev.rank : i + 1,
      item,
    });
  });
  return out;
}
