import { describe, expect, it } from 'vitest';
import { DEFAULT_OVERSIGHT_CONFIG } from './config.ts';
import { RATIO_FIXTURE } from './fixture.ts';
import { illegalRatios, type IllegalRatio } from './illegal-ratio.ts';
import { suggestMeasures, unitCodeOf } from './suggestions.ts';
import { oversightCase } from './test-cases.ts';
import type { WeakEnforcementRow } from './weak-enforcement.ts';

const national = () => DEFAULT_OVERSIGHT_CONFIG;
const named = (name: string) => (r: IllegalRatio) => ({ ...r, name });
const share = (count: number, of: number, flagged: boolean) => ({
  count,
  of,
  share: of ? Math.round((count / of) * 1000) / 1000 : null,
  flagged,
});
const weak = (
  unit: string,
  flags: { overdue?: boolean; overturned?: boolean; notRestored?: boolean },
): WeakEnforcementRow & { name: string } => ({
  unit,
  name: '高平市',
  cases: 10,
  overdue: share(flags.overdue ? 3 : 1, 10, !!flags.overdue),
  overturned: share(flags.overturned ? 1 : 0, 2, !!flags.overturned),
  notRestored: share(flags.notRestored ? 4 : 0, 5, !!flags.notRestored),
});

describe('suggested measures (pure)', () => {
  const [zezhou, gaoping] = illegalRatios(
    RATIO_FIXTURE.map(oversightCase),
    2026,
    'county',
    national,
  );
  const ratios = [named('泽州县')(zezhou), named('高平市')(gaoping)];

  it('the line exceeded (泽州县 32.5 %) suggests 约谈 and 移交纪检监察; the warning band (高平市 13 %) nothing', () => {
    const s = suggestMeasures(2026, ratios, [], []);
    expect(s.map((x) => [x.unitCode, x.kind, x.basis])).toEqual([
      ['140525', 'summons', 'illegal_ratio'],
      ['140525', 'referral', 'illegal_ratio'],
    ]);
    expect(s[0]).toMatchObject({ unitName: '泽州县', year: 2026, recorded: false });
    expect(s[0].reason).toBe(
      '2026 年度违法占用耕地面积比例 32.5%（新增违法占用耕地 6.5 亩 / 新增建设占用耕地 20 亩），达到 15% 的问责标准',
    );
  });

  it('weak enforcement: one flag → 约谈; two or more → 约谈 and 通报批评, the shares in the reason', () => {
    expect(
      suggestMeasures(2026, [], [weak('140581', { overdue: true })], []).map((s) => s.kind),
    ).toEqual(['summons']);
    const two = suggestMeasures(
      2026,
      [],
      [weak('140581', { overturned: true, notRestored: true })],
      [],
    );
    expect(two.map((s) => [s.kind, s.basis])).toEqual([
      ['summons', 'weak_enforcement'],
      ['criticism', 'weak_enforcement'],
    ]);
    expect(two[0].reason).toBe(
      '2026 年度执法不力迹象：抽查纠错 1/2（50%），年末未消除违法状态 4/5（80%）',
    );
    expect(suggestMeasures(2026, [], [weak('140581', {})], [])).toEqual([]);
  });

  it('marks what was already recorded for the region, year, kind and basis', () => {
    const recorded = [
      { kind: 'summons', basis: 'illegal_ratio', jurisdictionCode: '140525', year: 2026 },
      { kind: 'referral', basis: 'illegal_ratio', jurisdictionCode: '140525', year: 2025 },
      { kind: 'referral', basis: 'weak_enforcement', jurisdictionCode: '140525', year: 2026 },
    ];
    const s = suggestMeasures(2026, ratios, [], recorded);
    expect(s.map((x) => [x.kind, x.recorded])).toEqual([
      ['summons', true],
      ['referral', false],
    ]);
  });

  it('a city or province prefix becomes its six-digit code', () => {
    expect([unitCodeOf('140525'), unitCodeOf('1405'), unitCodeOf('14')]).toEqual([
      '140525',
      '140500',
      '140000',
    ]);
  });
});
