/**
 * What oversight reads of one 图斑's case: its year, its verdict, and its farmland and
 * permanent-basic-farmland area from 套合. The case state is the projection of the
 * hash-chained record, so every figure here can be traced to a recorded event.
 */
import type { PolygonCaseState } from '../cases/states.ts';

/** A case as oversight needs it (the store's case row carries these). */
export interface OversightCase {
  id: number;
  code: string;
  /** The responsible unit (the village after the push). */
  jurisdictionCode: string;
  /** Monitoring period, e.g. '2026-11'. */
  period: string;
  /** Overlay figures as stored on the 图斑 (`farm_mu`, `pbf_mu`, optional `farm_grade`). */
  properties: Record<string, unknown>;
  state: PolygonCaseState | null;
}

/**
 * How a case counts in the illegal-occupation indicator:
 * - `illegal_new`: 违法 新增 — numerator and denominator;
 * - `lawful`: 合法 construction — denominator only;
 * - `illegal_legacy`: 违法 存量 — neither (occupied in an earlier year);
 * - `other`: 其他 (false change, facility farmland, …) — neither: not construction;
 * - `none`: no verdict yet.
 */
export type OccupationKind = 'illegal_new' | 'illegal_legacy' | 'lawful' | 'other' | 'none';

/** The subtype code of new occupation in the cases configuration (新增). */
export const NEW_SUBTYPE = 'new';

/**
 * The year a case belongs to: the year of its monitoring period. The period is the round of
 * imagery in which the change appeared, and 新增 means "built this period", so the period's
 * year is the year the farmland was occupied. The determination date is not used: a verdict
 * given in January for a December round, or given again after a return, would move the
 * occupation into another year and change a closed year's indicator.
 * @example yearOf({ period: '2026-11' }) // 2026
 */
export function yearOf(c: Pick<OversightCase, 'period'>): number | null {
  const m = /^(\d{4})/.exec(c.period);
  return m ? Number(m[1]) : null;
}

/** The verdict in force, read as the indicator counts it. */
export function occupationOf(c: Pick<OversightCase, 'state'>): OccupationKind {
  const d = c.state?.determination;
  if (!d) return 'none';
  if (d.category === 'lawful') return 'lawful';
  if (d.category === 'other') return 'other';
  return d.illegalSubtype === NEW_SUBTYPE ? 'illegal_new' : 'illegal_legacy';
}

const num = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
};

/**
 * 耕地 亩 of the 图斑: from the `analyse` event in its record (套合 figures), else from the
 * figures stored on the 图斑 (`farm_mu`); 0 when it was never overlaid.
 */
export function farmlandMuOf(c: Pick<OversightCase, 'state' | 'properties'>): number {
  return num(c.state?.analysis?.layerMu.farmland) ?? num(c.properties.farm_mu) ?? 0;
}

/** 永久基本农田 亩 of the 图斑, read the same way (`pbf` layer, `pbf_mu` property). */
export function pbfMuOf(c: Pick<OversightCase, 'state' | 'properties'>): number {
  const layers = c.state?.analysis?.layerMu;
  return num(layers?.pbf) ?? num(layers?.permanent_basic_farmland) ?? num(c.properties.pbf_mu) ?? 0;
}

/** The farmland quality grade (耕地质量等别) if the figures carry one (`farm_grade`). */
export function farmlandGradeOf(c: Pick<OversightCase, 'properties'>): string | null {
  const g = c.properties.farm_grade;
  return typeof g === 'string' || typeof g === 'number' ? String(g) : null;
}

/** 亩 to two decimals, as reports show them (docs/DOMAIN.md "Areas, coordinates and files"). */
export const mu2 = (v: number): number => Math.round(v * 100) / 100;
