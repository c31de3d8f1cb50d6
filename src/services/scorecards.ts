import type { BBox } from '../geo/types.ts';
import { patrolRates } from '../field/patrol.ts';
import { scorecards, type Scorecard, type ScorecardCase } from '../oversight/index.ts';
import type { Db } from '../store/db.ts';
import { chiefPatrols } from '../store/field-patrols.ts';
import { listJurisdictions } from '../store/jurisdictions.ts';
import { supervisedCases, type SupervisedCase } from '../store/supervision.ts';
import type { Principal } from '../store/users.ts';
import { oversightConfigs } from './oversight-config.ts';
import { xlsxSheet } from './xlsx-sheet.ts';

export const SCORECARD_LEVELS = ['township', 'village'] as const;
export type ScorecardLevel = (typeof SCORECARD_LEVELS)[number];
const LENGTH: Record<ScorecardLevel, number> = { township: 9, village: 12 };

const overlaps = (a: BBox, b: BBox) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

/**
 * "Before the satellite found it": the first time a detection-sourced 图斑 whose bounding box
 * overlaps this case's was found (its `found` stamp). Bounding boxes stand in for the
 * outlines: two boxes can overlap where the buildings do not, which can only make a stop look
 * later than it was, never earlier.
 */
function detectedAtOf(c: SupervisedCase, detections: readonly SupervisedCase[]): string | null {
  let first: string | null = null;
  for (const d of detections) {
    if (d.id === c.id || !d.state || !overlaps(c.bbox, d.bbox)) continue;
    if (first === null || d.state.found.at < first) first = d.state.found.at;
  }
  return first;
}

/**
 * Scorecards of townships and villages (docs/DOMAIN.md "Scorecards") for a year, over what
 * the caller sees: the rules in src/oversight/scorecards.ts, the weights per province and
 * year from the oversight configuration, the patrol rate from the chiefs' recorded patrols.
 */
export class ScorecardService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  async scorecards(
    p: Principal,
    year: number,
    level: ScorecardLevel = 'township',
  ): Promise<{ year: number; level: ScorecardLevel; items: (Scorecard & { name: string })[] }> {
    const now = this.now();
    const yearEnd = new Date(Date.UTC(year, 11, 31, 16, 0, 0));
    const asOf = now < yearEnd ? now : yearEnd;
    const [all, units, configOf] = await Promise.all([
      supervisedCases(this.db, p.scope),
      listJurisdictions(this.db, p.scope, { level }),
      oversightConfigs(this.db, year),
    ]);
    const weeks = configOf(p.scope.prefix.slice(0, 2) || '14').scorecard.patrolWeeks;
    const chiefs = await chiefPatrols(
      this.db,
      p.scope,
      new Date(asOf.getTime() - (weeks + 1) * 7 * 86400_000),
    );
    const rates = patrolRates(chiefs, weeks, asOf);
    const length = LENGTH[level];
    const byUnit = new Map<string, number[]>();
    for (const r of rates) {
      if (r.jurisdictionCode.length < length) continue; // a township chief does not score a village
      const u = r.jurisdictionCode.slice(0, length);
      byUnit.set(u, [...(byUnit.get(u) ?? []), r.rate]);
    }
    const detections = all.filter((c) => c.source === 'detection');
    const repeatedBy = new Map<string, number[]>();
    for (const c of all) {
      const of = c.state?.analysis?.repeatOf;
      if (of) repeatedBy.set(of, [...(repeatedBy.get(of) ?? []), c.id]);
    }
    const cases: ScorecardCase[] = all
      .filter((c) => c.period.startsWith(`${year}-`))
      .map((c) => ({
        id: c.id,
        jurisdictionCode: c.jurisdictionCode,
        source: c.source,
        state: c.state,
        detectedAt: c.source === 'detection' ? null : detectedAtOf(c, detections),
        repeatedBy: repeatedBy.get(String(c.id)) ?? [],
      }));
    const cards = scorecards(
      cases,
      [...byUnit.entries()].map(([unit, r]) => ({ unit, rates: r })),
      {
        now: asOf.toISOString(),
        unitLength: length,
        units: units.map((u) => u.code.slice(0, length)),
        configOf,
      },
    );
    const names = new Map(units.map((u) => [u.code.slice(0, length), u.name]));
    return { year, level, items: cards.map((c) => ({ ...c, name: names.get(c.unit) ?? c.unit })) };
  }

  async scorecardsXlsx(
    p: Principal,
    year: number,
    level: ScorecardLevel,
  ): Promise<{ name: string; bytes: Buffer }> {
    const r = await this.scorecards(p, year, level);
    const pct = (v: number | null) => (v === null ? '' : Math.round(v * 1000) / 10);
    type Item = (typeof r.items)[number];
    const bytes = await xlsxSheet(
      `${year}年${level === 'township' ? '乡镇' : '村级'}田长考核`,
      [
        { header: '排名', value: (x: Item) => x.rank },
        { header: '单位', value: (x) => x.name, width: 20 },
        { header: '代码', value: (x) => x.unit, width: 16 },
        { header: '得分', value: (x) => x.score },
        { header: '巡田率（%）', value: (x) => pct(x.components.patrol.value) },
        { header: '按期核查率（%）', value: (x) => pct(x.components.verifyOnTime.value) },
        { header: '抽查未纠错率（%）', value: (x) => pct(x.components.notOverturned.value) },
        { header: '卫片发现前制止率（%）', value: (x) => pct(x.components.earlyStop.value) },
        { header: '制止后未复建率（%）', value: (x) => pct(x.components.notResumed.value) },
      ],
      r.items,
      this.now(),
    );
    return { name: `${year}-${level}-scorecards.xlsx`, bytes };
  }
}
