import { describe, expect, it } from 'vitest';
import { DEFAULT_OVERSIGHT_CONFIG, resolveOversightConfig } from './config.ts';
import { nextBalance } from './ledger.ts';
import { redesignationDue, restoredBy, yearEndDuties, yearEndInstant } from './sanctions.ts';
import { caseState, oversightCase } from './test-cases.ts';

const national = () => DEFAULT_OVERSIGHT_CONFIG;
const V = '140525100200';

describe('year-end sanctions', () => {
  it('ends the year at 24:00 China time on 31 December', () => {
    expect(yearEndInstant(2026, 480).toISOString()).toBe('2026-12-31T15:59:59.999Z');
    expect(redesignationDue(2026, 6)).toBe('2027-06-30');
    expect(redesignationDue(2026, 2)).toBe('2027-02-28');
  });

  it('counts a rectification reported by year end, not one reported after', () => {
    const end = yearEndInstant(2026, 480);
    const inTime = caseState({
      id: 1,
      code: V,
      period: '2026-03',
      verdict: 'illegal_new',
      farmlandMu: 1,
      rectifiedAt: '2026-12-31T15:00:00.000Z',
    });
    const late = caseState({
      id: 2,
      code: V,
      period: '2026-03',
      verdict: 'illegal_new',
      farmlandMu: 1,
      rectifiedAt: '2026-12-31T16:30:00.000Z',
    });
    expect(restoredBy(inTime, end)).toBe(true);
    expect(restoredBy(late, end)).toBe(false);
    expect(restoredBy(late, new Date('2027-01-02T00:00:00Z'))).toBe(true);
  });

  it('raises a quota deduction per case not restored, and 补划 where it took permanent basic farmland', () => {
    const cases = [
      { id: 1, code: V, period: '2026-03', verdict: 'illegal_new', farmlandMu: 3.1, pbfMu: 1.2 },
      {
        id: 2,
        code: V,
        period: '2026-05',
        verdict: 'illegal_new',
        farmlandMu: 2,
        rectifiedAt: '2026-11-01T02:00:00.000Z',
        rechecked: true,
      },
      { id: 3, code: V, period: '2026-05', verdict: 'illegal_legacy', farmlandMu: 4.25 },
      { id: 4, code: V, period: '2026-05', verdict: 'lawful', farmlandMu: 9 },
      { id: 5, code: V, period: '2026-05', verdict: 'other', farmlandMu: 9 },
      { id: 6, code: V, period: '2025-05', verdict: 'illegal_new', farmlandMu: 9 },
      { id: 7, code: '140581', period: '2026-07', verdict: 'illegal_new', farmlandMu: 0, pbfMu: 0 },
    ] as const;
    const duties = yearEndDuties(
      cases.map((c) => oversightCase({ ...c })),
      2026,
      national,
    );
    expect(duties.map((d) => [d.polygonId, d.kind, d.mu, d.countyCode, d.dueDate])).toEqual([
      [1, 'quota_deduction', 3.1, '140525', null],
      [1, 'pbf_redesignation', 1.2, '140525', '2027-06-30'],
      [3, 'quota_deduction', 4.25, '140525', null],
    ]);
  });

  it('sweeps only the configured subtypes', () => {
    const onlyNew = (p: string) =>
      resolveOversightConfig({ province: p, year: 2026 }, [
        { province: '14', year: 2026, config: { sanctions: { subtypes: ['new'] } } },
      ]);
    const legacy = oversightCase({
      id: 3,
      code: V,
      period: '2026-05',
      verdict: 'illegal_legacy',
      farmlandMu: 4.25,
    });
    expect(yearEndDuties([legacy], 2026, onlyNew)).toEqual([]);
  });

  it('keeps the ledger balance: opening first, deductions may go below zero', () => {
    const opened = nextBalance({ entries: 0, balanceMu: 0 }, { kind: 'opening', mu: 5 });
    expect(opened).toEqual({ changeMu: 5, balanceMu: 5 });
    expect(nextBalance({ entries: 1, balanceMu: 5 }, { kind: 'deduction', mu: 7.35 })).toEqual({
      changeMu: -7.35,
      balanceMu: -2.35,
    });
    expect(() => nextBalance({ entries: 1, balanceMu: 5 }, { kind: 'opening', mu: 1 })).toThrow(
      /opening/,
    );
    expect(() => nextBalance({ entries: 1, balanceMu: 5 }, { kind: 'addition', mu: 0 })).toThrow(
      /positive/,
    );
  });
});
