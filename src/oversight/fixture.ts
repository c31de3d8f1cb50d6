/**
 * The hand-computed fixture of the illegal-occupation ratio, shared by the pure test and the
 * API test: two counties of Jincheng, year 2026. Worked out by hand:
 *
 * 泽州县 140525
 *   #1 违法 新增  4.00 亩   numerator, denominator (1.20 亩 of it permanent basic farmland)
 *   #2 违法 新增  2.50 亩   numerator, denominator
 *   #3 合法      13.50 亩   denominator (lawful new construction)
 *   #4 违法 存量 10.00 亩   neither: legacy, occupied before this year
 *   #5 其他       8.00 亩   neither: not construction (facility farmland)
 *   #6 违法 新增  5.00 亩   neither: period 2025-11, another year
 *   #7 no verdict 3.00 亩   neither
 *   numerator 4.00 + 2.50 = 6.50; denominator 6.50 + 13.50 = 20.00; 6.50 / 20.00 = 32.50 %
 *   → at or above 15 %: exceeded.
 *
 * 高平市 140581
 *   #8 违法 新增  1.30 亩   numerator, denominator
 *   #9 合法       8.70 亩   denominator
 *   #10 违法 存量 30.00 亩  neither
 *   numerator 1.30; denominator 1.30 + 8.70 = 10.00; 1.30 / 10.00 = 13.00 %
 *   → below 15 % but at or above 12 % (80 % of the line): warning.
 *
 * 晋城市 1405 (roll-up, sums not averages): (6.50 + 1.30) / (20.00 + 10.00) = 7.80 / 30.00 = 26.00 %.
 *
 * The browser's old chart (all periods, legacy counted, ÷ cases with a verdict) gave 泽州县
 * (4 + 2.5 + 10 + 5) / (4 + 2.5 + 10 + 5 + 13.5) = 21.5 / 35 = 61.43 %.
 */
import type { CaseSpec } from './test-cases.ts';

export const NANCUN = '140525100200';
export const BEICUN = '140525100201';
export const GAOPING = '140581';

export const RATIO_FIXTURE: CaseSpec[] = [
  { id: 1, code: NANCUN, period: '2026-03', verdict: 'illegal_new', farmlandMu: 4, pbfMu: 1.2 },
  { id: 2, code: BEICUN, period: '2026-06', verdict: 'illegal_new', farmlandMu: 2.5 },
  { id: 3, code: NANCUN, period: '2026-06', verdict: 'lawful', farmlandMu: 13.5 },
  { id: 4, code: NANCUN, period: '2026-03', verdict: 'illegal_legacy', farmlandMu: 10 },
  { id: 5, code: BEICUN, period: '2026-09', verdict: 'other', farmlandMu: 8 },
  { id: 6, code: NANCUN, period: '2025-11', verdict: 'illegal_new', farmlandMu: 5 },
  { id: 7, code: BEICUN, period: '2026-09', verdict: 'none', farmlandMu: 3 },
  { id: 8, code: GAOPING, period: '2026-03', verdict: 'illegal_new', farmlandMu: 1.3 },
  { id: 9, code: GAOPING, period: '2026-06', verdict: 'lawful', farmlandMu: 8.7 },
  { id: 10, code: GAOPING, period: '2026-09', verdict: 'illegal_legacy', farmlandMu: 30 },
];
