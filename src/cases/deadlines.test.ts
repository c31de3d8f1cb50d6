import { describe, expect, it } from 'vitest';
import { dueAt, isWorkingDay, isoToDay } from './calendar.ts';
import { DEFAULT_DEADLINE_CONFIG, type DeadlineConfig } from './deadline-config.ts';
import { deadlineItemsOf, evaluateDeadlines, type DeadlineItem } from './deadlines.ts';
import { resolveCasesConfig } from './config.ts';
import { walk } from './test-fixtures.ts';

const cfg = DEFAULT_DEADLINE_CONFIG;

describe('due dates (China Standard Time, end of day)', () => {
  it('counts natural days from the local start day', () => {
    // 2026-11-20 23:30 China time is still the 20th locally although the UTC date is the 20th 15:30.
    expect(
      dueAt(
        { kind: 'within_days', days: 15, calendar: 'natural' },
        '2026-11-20T15:30:00.000Z',
        cfg,
      ),
    ).toBe('2026-12-05T15:59:59.999Z');
    // 2026-11-21 00:30 China time is the 21st locally although the UTC date is the 20th.
    expect(
      dueAt(
        { kind: 'within_days', days: 15, calendar: 'natural' },
        '2026-11-20T16:30:00.000Z',
        cfg,
      ),
    ).toBe('2026-12-06T15:59:59.999Z');
  });

  it('puts "the 10th of the next month" in the next month, across the year end and short months', () => {
    const rule = { kind: 'day_of_next_month', day: 10 } as const;
    expect(dueAt(rule, '2026-11-20T02:00:00.000Z', cfg)).toBe('2026-12-10T15:59:59.999Z');
    expect(dueAt(rule, '2026-12-21T02:00:00.000Z', cfg)).toBe('2027-01-10T15:59:59.999Z');
    expect(dueAt({ kind: 'day_of_next_month', day: 31 }, '2027-01-20T02:00:00.000Z', cfg)).toBe(
      '2027-02-28T15:59:59.999Z',
    );
  });

  it('counts working days, skipping weekends and holidays and counting 调休 make-up days', () => {
    // Friday 2026-10-30: 3 working days → Mon 2, Tue 3, Wed 4 November.
    const rule = { kind: 'within_days', days: 3, calendar: 'working' } as const;
    expect(dueAt(rule, '2026-10-30T02:00:00.000Z', cfg)).toBe('2026-11-04T15:59:59.999Z');
    const holidays: DeadlineConfig = {
      ...cfg,
      holidays: ['2026-11-02'],
      makeupWorkdays: ['2026-10-31'],
    };
    // Sat 31 Oct is worked, Mon 2 Nov is off: Sat 31, Tue 3, Wed 4.
    expect(dueAt(rule, '2026-10-30T02:00:00.000Z', holidays)).toBe('2026-11-04T15:59:59.999Z');
    expect(isWorkingDay(isoToDay('2026-10-31'), holidays)).toBe(true);
    expect(isWorkingDay(isoToDay('2026-11-02'), holidays)).toBe(false);
    expect(isWorkingDay(isoToDay('2026-11-01'), cfg)).toBe(false);
  });

  it('counts hours for urgent reports', () => {
    expect(dueAt({ kind: 'within_hours', hours: 24 }, '2026-11-20T02:00:00.000Z', cfg)).toBe(
      '2026-11-21T02:00:00.000Z',
    );
  });
});

describe('province and year configuration', () => {
  it('overrides by province, then by province-year, and validates', () => {
    const overrides = [
      {
        province: '14',
        config: {
          deadlines: { rules: { verify: { kind: 'within_days', days: 10, calendar: 'natural' } } },
        },
      },
      { province: '14', year: 2027, config: { deadlines: { remindDaysBefore: [5] } } },
      { province: '32', config: { verification: { minPhotos: 4 } } },
    ];
    const shanxi2026 = resolveCasesConfig({ province: '14', year: 2026 }, overrides);
    expect(shanxi2026.deadlines.rules.verify).toEqual({
      kind: 'within_days',
      days: 10,
      calendar: 'natural',
    });
    expect(shanxi2026.deadlines.remindDaysBefore).toEqual([3, 1]);
    expect(shanxi2026.verification.minPhotos).toBe(2);
    const shanxi2027 = resolveCasesConfig({ province: '14', year: 2027 }, overrides);
    expect(shanxi2027.deadlines.remindDaysBefore).toEqual([5]);
    expect(shanxi2027.deadlines.rules.county_result).toEqual({
      kind: 'day_of_next_month',
      day: 10,
    });
    expect(() =>
      resolveCasesConfig({ province: '14', year: 2026 }, [
        { province: '14', config: { jointReview: { requiredSignOffs: 1 } } },
      ]),
    ).toThrow(
      expect.objectContaining({ code: 'bad_input', field: 'jointReview.requiredSignOffs' }),
    );
  });
});

describe('reminders, escalation and overdue counts (injected clock)', () => {
  const item: DeadlineItem = {
    key: 'p-1:verify:2026-11-20T02:00:00.000Z',
    entityId: 'p-1',
    kind: 'verify',
    scope: '140525100201',
    startedAt: '2026-11-20T02:00:00.000Z',
    dueAt: '2026-12-05T15:59:59.999Z',
  };
  const at = (iso: string) => new Date(iso);

  it('says nothing long before the deadline', () => {
    const r = evaluateDeadlines([item], at('2026-11-25T00:00:00.000Z'), cfg);
    expect(r).toEqual({
      reminders: [],
      escalations: [],
      overdue: [],
      counts: { '140525100201': { open: 1, overdue: 0, doneLate: 0 } },
    });
  });

  it('reminds 3 days before, then 1 day before, each once', () => {
    const three = evaluateDeadlines([item], at('2026-12-03T00:00:00.000Z'), cfg);
    expect(three.reminders.map((r) => [r.daysBefore, r.notifyScope, r.key])).toEqual([
      [3, '140525100201', `${item.key}:remind:3`],
    ]);
    const one = evaluateDeadlines([item], at('2026-12-05T00:00:00.000Z'), cfg, {
      alreadySent: new Set([`${item.key}:remind:3`]),
    });
    expect(one.reminders.map((r) => r.daysBefore)).toEqual([1]);
    const again = evaluateDeadlines([item], at('2026-12-05T01:00:00.000Z'), cfg, {
      alreadySent: new Set([`${item.key}:remind:1`]),
    });
    expect(again.reminders).toEqual([]);
  });

  it('escalates to the level above when overdue, and one level further after 7 days', () => {
    const just = evaluateDeadlines([item], at('2026-12-05T16:00:00.000Z'), cfg);
    expect(just.escalations.map((e) => [e.step, e.notifyScope, e.overdueDays])).toEqual([
      [1, '140525100', 0],
    ]);
    expect(just.overdue).toEqual([{ item, overdueDays: 0, doneLate: false }]);
    expect(just.counts['140525100201']).toEqual({ open: 1, overdue: 1, doneLate: 0 });
    const week = evaluateDeadlines([item], at('2026-12-13T16:00:00.000Z'), cfg, {
      alreadySent: new Set([`${item.key}:escalate:1`]),
    });
    expect(week.escalations.map((e) => [e.step, e.notifyScope, e.overdueDays])).toEqual([
      [2, '140525', 8],
    ]);
  });

  it('counts work done late, and stays silent about work done in time', () => {
    const late = { ...item, doneAt: '2026-12-08T02:00:00.000Z' };
    const inTime = {
      ...item,
      key: 'p-2:verify',
      entityId: 'p-2',
      scope: '140525100202',
      doneAt: '2026-12-01T02:00:00.000Z',
    };
    const r = evaluateDeadlines([late, inTime], at('2026-12-20T00:00:00.000Z'), cfg);
    expect(r.reminders).toEqual([]);
    expect(r.escalations).toEqual([]);
    expect(r.overdue).toEqual([{ item: late, overdueDays: 2, doneLate: true }]);
    expect(r.counts).toEqual({
      '140525100201': { open: 0, overdue: 0, doneLate: 1 },
      '140525100202': { open: 0, overdue: 0, doneLate: 0 },
    });
  });

  it('reads the deadlines a polygon collected along its life', () => {
    const steps = walk('push');
    const items = deadlineItemsOf(steps[steps.length - 1].state);
    expect(items.map((i) => [i.kind, i.scope, i.dueAt])).toEqual([
      ['verify', '140525100201', '2026-12-05T15:59:59.999Z'],
      ['county_result', '140525', '2026-12-10T15:59:59.999Z'],
    ]);
    const r = evaluateDeadlines(items, new Date('2026-12-11T00:00:00.000Z'), cfg);
    expect(r.escalations.map((e) => [e.item.kind, e.notifyScope])).toEqual([
      ['verify', '140525100'],
      ['county_result', '1405'],
    ]);
  });
});
