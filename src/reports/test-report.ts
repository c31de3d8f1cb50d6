/**
 * Test helper: a hand-counted city report (two counties with cases walked through the real
 * lifecycle, one empty county, one 图斑 not placed in a county), for the report's tests.
 */
import { DEFAULT_OVERSIGHT_CONFIG } from '../oversight/index.ts';
import { oversightCase, type CaseSpec } from '../oversight/test-cases.ts';
import { parseReportPeriod } from './period.ts';
import { statisticalReport, type ReportCase } from './statistics.ts';

/*
 * A city of two counties, hand-counted: 泽州县 (140525) has an illegal new case rectified and
 * rechecked (2.30 亩 farmland, 1.10 PBF), an illegal legacy one, a lawful one (3.335 亩 →
 * 3.34) and one without a verdict; 高平市 (140581) one illegal new (1.005 → 1.01 亩) and one
 * "other"; one 图斑 coded at the city (140500) is not placed in any county.
 */
const spec = (
  id: number,
  code: string,
  verdict: CaseSpec['verdict'],
  farmlandMu: number,
  extra: Partial<CaseSpec> = {},
): ReportCase => ({
  ...oversightCase({ id, code, period: '2026-11', verdict, farmlandMu, ...extra }),
  source: id === 4 ? 'patrol' : 'detection',
  status: 'x',
  areaMu: farmlandMu + 0.5,
});

export const CASES: ReportCase[] = [
  spec(1, '140525100201', 'illegal_new', 2.3, {
    pbfMu: 1.1,
    rectifiedAt: '2026-11-25T02:00:00.000Z',
    rechecked: true,
  }),
  spec(2, '140525100202', 'illegal_legacy', 1.2),
  spec(3, '140525101201', 'lawful', 3.335),
  spec(4, '140525101201', 'none', 0.8),
  spec(5, '140581100201', 'illegal_new', 1.005),
  spec(6, '140581100202', 'other', 0.4),
  spec(7, '140500', 'none', 0),
].map((c) => ({ ...c, status: c.state!.status }));

export const report = statisticalReport(
  {
    unit: { code: '140500', name: '晋城市', level: 'city' },
    children: [
      { code: '140525', name: '泽州县' },
      { code: '140581', name: '高平市' },
      { code: '140502', name: '城区' },
    ],
    childLevel: 'county',
    period: parseReportPeriod('2026-11'),
    cases: CASES,
    now: new Date('2026-12-20T00:00:00.000Z'),
    configOf: () => DEFAULT_OVERSIGHT_CONFIG,
  },
  new Date('2026-12-01T02:00:00.000Z'),
);
