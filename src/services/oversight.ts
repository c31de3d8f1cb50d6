import { prefixAt, type JurisdictionLevel } from '../grid/index.ts';
import {
  illegalRatios,
  rankByRatio,
  type IllegalRatio,
  type OversightCase,
} from '../oversight/index.ts';
import type { Db } from '../store/db.ts';
import { listJurisdictions } from '../store/jurisdictions.ts';
import { casesOfYear, type YearCase } from '../store/oversight-cases.ts';
import type { Principal } from '../store/users.ts';
import { oversightConfigs } from './oversight-config.ts';

/** The levels an indicator is rolled up to. */
export const RATIO_LEVELS = ['township', 'county', 'city', 'province'] as const;
export type RatioLevel = (typeof RATIO_LEVELS)[number];

/** One unit's indicator with its name and its place in the ranking (null: nothing occupied). */
export interface IllegalRatioRow extends IllegalRatio {
  name: string | null;
  rank: number | null;
}

/** A stored case as the oversight rules read it. */
export const oversightCaseOf = (c: YearCase): OversightCase => ({
  id: c.id,
  code: c.code,
  jurisdictionCode: c.jurisdictionCode,
  period: c.period,
  properties: c.properties,
  state: c.state,
});

/**
 * Indicators computed on the server from the case record (src/oversight): the
 * illegal-occupation ratio of every unit in the caller's scope for one year, with the cases
 * behind it, the province's line and warning band, and the ranking.
 */
export class OversightService {
  constructor(private readonly db: Db) {}

  /**
   * 违法占用耕地面积比例 per unit at `level` in the caller's scope for `year`: every unit of
   * that level in the scope is listed (zeros when it has no case), ranked highest first.
   * Below the county the figures cover only what the caller sees.
   */
  async illegalRatio(
    p: Principal,
    year: number,
    level: RatioLevel = 'county',
  ): Promise<{ year: number; level: RatioLevel; items: IllegalRatioRow[] }> {
    const [cases, units, configOf] = await Promise.all([
      casesOfYear(this.db, p.scope, year),
      listJurisdictions(this.db, p.scope, { level: level as JurisdictionLevel }),
      oversightConfigs(this.db, year),
    ]);
    const rows = illegalRatios(
      cases.map(oversightCaseOf),
      year,
      level,
      configOf,
      units.map((u) => u.code),
    );
    const names = new Map(units.map((u) => [prefixAt(u.code, level), u.name]));
    const ranks = new Map(rankByRatio(rows).map((r) => [r.item.unit, r.rank]));
    const items = rows
      .map((r) => ({ ...r, name: names.get(r.unit) ?? null, rank: ranks.get(r.unit) ?? null }))
      .sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.unit.localeCompare(b.unit));
    return { year, level, items };
  }
}
