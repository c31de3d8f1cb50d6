import { describe, expect, it } from 'vitest';
import { DEFAULT_OVERSIGHT_CONFIG, illegalRatios } from '../oversight/index.ts';
import { parseReportPeriod } from './period.ts';
import { CASES, report } from './test-report.ts';

const [discovery, enforcement] = report.tables;
const row = (t: typeof discovery, name: string) => t.rows.find((r) => r.name === name)!.values;

describe('the statistical report of a city', () => {
  it('has a row per county in order, every county listed, then the unplaced 图斑, and a title', () => {
    expect(report.title).toBe('晋城市2026年11月卫片执法图斑统计报表');
    expect(discovery.rows.map((r) => r.name)).toEqual(['泽州县', '高平市', '城区', '未落到县']);
    expect(row(discovery, '城区').found).toBe(0);
    expect(row(discovery, '未落到县').found).toBe(1);
  });

  it('counts sources, verdicts and 亩 per county as hand-counted', () => {
    const zz = row(discovery, '泽州县');
    expect(zz).toMatchObject({
      found: 4,
      src_detection: 3,
      src_patrol: 1,
      verified: 3,
      lawful: 1,
      lawfulFarmMu: 3.34,
      illegal: 2,
      illegalFarmMu: 3.5,
      illegalPbfMu: 1.1,
      undetermined: 1,
      illegalNew: 1,
      illegalNewFarmMu: 2.3,
      illegalLegacy: 1,
    });
    expect(row(discovery, '高平市')).toMatchObject({
      found: 2,
      illegal: 1,
      illegalFarmMu: 1.01,
      other: 1,
      otherFarmMu: 0.4,
    });
    const zzE = row(enforcement, '泽州县');
    expect(zzE).toMatchObject({
      stopped: 1,
      filed: 1,
      filed_direct: 1,
      decided: 1,
      m_demolish: 1,
      m_restore_land: 1,
      enforced: 1,
      rectified: 1,
      rechecked: 1,
      rectificationRate: 0.5,
    });
    expect(zzE.constructionMu).toBe(5.64);
  });

  it('has totals that are exactly the sums of the rows, and rates worked out again', () => {
    for (const t of report.tables)
      for (const c of t.columns.filter((c) => c.kind !== 'percent')) {
        const sum = t.rows.reduce((s, r) => s + Math.round((r.values[c.key] ?? 0) * 100), 0) / 100;
        expect(t.total.values[c.key], `${t.id}.${c.key}`).toBe(sum);
      }
    expect(enforcement.total.values.rectificationRate).toBeCloseTo(1 / 3);
    expect(row(enforcement, '城区').rectificationRate).toBeNull();
  });

  it('takes the illegal-occupation ratio from src/oversight', () => {
    const byCounty = illegalRatios(CASES, 2026, 'county', () => DEFAULT_OVERSIGHT_CONFIG);
    const zz = byCounty.find((r) => r.unit === '140525')!;
    expect(row(enforcement, '泽州县').illegalRatio).toBeCloseTo(zz.ratioPercent! / 100, 6);
    expect(row(enforcement, '高平市').illegalRatio).toBe(1);
    const [city] = illegalRatios(CASES, 2026, 'city', () => DEFAULT_OVERSIGHT_CONFIG);
    expect(enforcement.total.values.illegalRatio).toBeCloseTo(city.ratioPercent! / 100, 6);
  });
});

describe('report periods', () => {
  it('reads months, quarters and years, and refuses anything else', () => {
    expect(parseReportPeriod('2026-11')).toMatchObject({
      kind: 'month',
      label: '2026年11月',
      months: ['2026-11'],
    });
    expect(parseReportPeriod('2026-q4')).toMatchObject({
      kind: 'quarter',
      code: '2026-Q4',
      label: '2026年第四季度',
      months: ['2026-10', '2026-11', '2026-12'],
    });
    expect(parseReportPeriod('2026').months).toHaveLength(12);
    expect(() => parseReportPeriod('2026-13')).toThrow(/month \(2026-11\)/);
  });
});
