/**
 * Year-end sanctions (自然资办发〔2021〕33号 §3): "年度内未能消除违法状态的…扣除该地区储备补充
 * 耕地指标；涉及永久基本农田的必须限期补划". Of a year's illegal cases, those not restored by
 * 31 December (local time) cost the county its reserve supplementary-farmland quota, 亩 for
 * 亩 of farmland occupied; those on permanent basic farmland must also have replacement PBF
 * designated (补划) within a deadline. Pure: the sweep in src/services stores what this says.
 */
import type { PolygonCaseState } from '../cases/states.ts';
import { prefixAt } from '../grid/index.ts';
import {
  farmlandGradeOf,
  farmlandMuOf,
  mu2,
  pbfMuOf,
  yearOf,
  type OversightCase,
} from './case-facts.ts';
import type { OversightConfig } from './config.ts';

/** The two duties a case not restored at year end raises. */
export const DUTY_KINDS = ['quota_deduction', 'pbf_redesignation'] as const;
export type DutyKind = (typeof DUTY_KINDS)[number];

/** One duty the year-end sweep raises for one case. */
export interface YearEndDuty {
  kind: DutyKind;
  polygonId: number;
  polygonCode: string;
  /** The case's responsible unit; `countyCode` is whose ledger pays. */
  jurisdictionCode: string;
  countyCode: string;
  year: number;
  /** 亩 deducted (farmland) or to re-designate (permanent basic farmland). */
  mu: number;
  /** Farmland quality grade, when the figures carry one. */
  grade: string | null;
  /** Local date by which 补划 must be done; null for a deduction (booked at once). */
  dueDate: string | null;
}

/**
 * The last instant of `year` in local time: 31 December 23:59:59.999 at the configured
 * offset (China: UTC+8, so 15:59:59.999 UTC).
 */
export function yearEndInstant(year: number, utcOffsetMinutes: number): Date {
  return new Date(Date.UTC(year + 1, 0, 1) - utcOffsetMinutes * 60_000 - 1);
}

/** The local date `months` after the end of `year` (the last day of that month). */
export function redesignationDue(year: number, months: number): string {
  const end = new Date(Date.UTC(year + 1, months, 0));
  return end.toISOString().slice(0, 10);
}

/**
 * Whether the illegal state was ended by `at`: the rectification (demolished and farmed
 * again, 整改) was reported by then and no recheck before `at` found it false. A passed
 * recheck (复核) by then counts too, and so a closure after one.
 */
export function restoredBy(state: PolygonCaseState, at: Date): boolean {
  const t = at.getTime();
  const by = (iso: string | undefined) => iso !== undefined && Date.parse(iso) <= t;
  const checks = state.rechecks.filter((r) => by(r.at));
  const last = checks.at(-1);
  if (last?.passed) return true;
  const reported = state.rectification;
  if (!reported || !by(reported.at)) return false;
  // A failed recheck after the report sends the case back: only a later report counts.
  return !last || Date.parse(reported.at) > Date.parse(last.at);
}

/**
 * The duties of a year: for every case of `year` whose verdict in force is illegal with a
 * swept subtype and that was not restored by the year's end, a quota deduction (its 耕地
 * 亩, if any) and, when it lies on permanent basic farmland, a 补划 duty (its 永农 亩) due
 * the configured months after the year. `configOf` gives the case's province configuration.
 */
export function yearEndDuties(
  cases: readonly OversightCase[],
  year: number,
  configOf: (province: string) => OversightConfig,
): YearEndDuty[] {
  const out: YearEndDuty[] = [];
  for (const c of cases) {
    const d = c.state?.determination;
    if (!c.state || yearOf(c) !== year || d?.category !== 'illegal') continue;
    const rule = configOf(c.jurisdictionCode.slice(0, 2)).sanctions;
    if (!rule.subtypes.includes(d.illegalSubtype ?? '')) continue;
    if (restoredBy(c.state, yearEndInstant(year, rule.utcOffsetMinutes))) continue;
    const base = {
      polygonId: c.id,
      polygonCode: c.code,
      jurisdictionCode: c.jurisdictionCode,
      countyCode: prefixAt(c.jurisdictionCode, 'county'),
      year,
    };
    const farmland = mu2(farmlandMuOf(c));
    const pbf = mu2(pbfMuOf(c));
    if (farmland > 0)
      out.push({
        ...base,
        kind: 'quota_deduction',
        mu: farmland,
        grade: farmlandGradeOf(c),
        dueDate: null,
      });
    if (pbf > 0)
      out.push({
        ...base,
        kind: 'pbf_redesignation',
        mu: pbf,
        grade: null,
        dueDate: redesignationDue(year, rule.redesignationMonths),
      });
  }
  return out;
}
