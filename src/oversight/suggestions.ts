/**
 * Suggested accountability measures (docs/DOMAIN.md "Suggested measures"): what the indicators
 * of a year call for, per region, for a person to record — never recorded by themselves. A
 * suggestion is advice from the figures; the summons or hand-over itself is a decision of the
 * level above, recorded with its document (`POST /api/oversight/measures`).
 *
 * - the illegal-occupation ratio over the line (《违反土地管理规定行为处分办法》 art. 3: the
 *   local leaders are accountable) → 约谈 of the region's leaders, and 移交纪检监察机关;
 * - one or more signs of weak enforcement flagged (share overdue, overturned, not restored at
 *   year end) → 约谈; two or more → 通报批评 as well.
 *
 * Pure: the figures of a year in, suggestions out, each marked when a measure of its kind and
 * basis was already recorded for the region and year.
 */
import type { AccountabilityBasis, AccountabilityKind } from './accountability.ts';
import type { IllegalRatio } from './illegal-ratio.ts';
import type { Share, WeakEnforcementRow } from './weak-enforcement.ts';

export interface MeasureSuggestion {
  /** The region's jurisdiction code (a county's six digits; a city or province padded to six). */
  unitCode: string;
  unitName: string | null;
  year: number;
  kind: Extract<AccountabilityKind, 'summons' | 'referral' | 'criticism'>;
  basis: Extract<AccountabilityBasis, 'illegal_ratio' | 'weak_enforcement'>;
  /** Why, in Chinese: the figures behind it, ready to be the measure's reason. */
  reason: string;
  /** A measure of this kind and basis is already recorded for this region and year. */
  recorded: boolean;
}

/** What was already recorded: the measures of the year in the caller's scope. */
export interface RecordedMeasure {
  kind: string;
  basis: string;
  jurisdictionCode: string;
  year: number;
}

/** A unit's code prefix (county 140525, city 1405, province 14) as its jurisdiction code. */
export const unitCodeOf = (prefix: string): string =>
  prefix.length >= 6 ? prefix : prefix.padEnd(6, '0');

const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`);

const WEAK_WORDS: Record<'overdue' | 'overturned' | 'notRestored', string> = {
  overdue: '超期办理',
  overturned: '抽查纠错',
  notRestored: '年末未消除违法状态',
};

/**
 * The measures the figures of `year` suggest, per region: ratio rows (any level) and weak
 * enforcement rows of the same year, each with the region's name.
 * @example suggestMeasures(2025, [{ ...ratio, unit: '140525', exceeded: true, name: '泽州县' }], [], [])
 *   // → 约谈 and 移交纪检监察机关 of 140525
 */
export function suggestMeasures(
  year: number,
  ratios: readonly (IllegalRatio & { name: string | null })[],
  weakness: readonly (WeakEnforcementRow & { name: string | null })[],
  recorded: readonly RecordedMeasure[],
): MeasureSuggestion[] {
  const done = new Set(
    recorded
      .filter((m) => m.year === year)
      .map((m) => `${m.jurisdictionCode}|${m.kind}|${m.basis}`),
  );
  const out: MeasureSuggestion[] = [];
  const add = (s: Omit<MeasureSuggestion, 'recorded' | 'year'>) =>
    out.push({ ...s, year, recorded: done.has(`${s.unitCode}|${s.kind}|${s.basis}`) });

  for (const r of ratios) {
    if (!r.exceeded) continue;
    const unitCode = unitCodeOf(r.unit);
    const reason =
      `${year} 年度违法占用耕地面积比例 ${r.ratioPercent}%` +
      `（新增违法占用耕地 ${r.illegalMu} 亩 / 新增建设占用耕地 ${r.constructionMu} 亩），` +
      `达到 ${r.thresholdPercent}% 的问责标准` +
      (r.areaFloorMu > 0 ? `且违法面积不低于 ${r.areaFloorMu} 亩` : '');
    add({ unitCode, unitName: r.name, kind: 'summons', basis: 'illegal_ratio', reason });
    add({ unitCode, unitName: r.name, kind: 'referral', basis: 'illegal_ratio', reason });
  }

  for (const w of weakness) {
    const flagged = (['overdue', 'overturned', 'notRestored'] as const).filter(
      (k) => (w[k] as Share).flagged,
    );
    if (!flagged.length) continue;
    const unitCode = unitCodeOf(w.unit);
    const reason =
      `${year} 年度执法不力迹象：` +
      flagged
        .map((k) => `${WEAK_WORDS[k]} ${w[k].count}/${w[k].of}（${pct(w[k].share)}）`)
        .join('，');
    add({ unitCode, unitName: w.name, kind: 'summons', basis: 'weak_enforcement', reason });
    if (flagged.length >= 2)
      add({ unitCode, unitName: w.name, kind: 'criticism', basis: 'weak_enforcement', reason });
  }
  return out;
}
