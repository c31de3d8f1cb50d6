/**
 * Signs of weak enforcement (执法不力) per region, what the inspectorate acts on
 * (docs/DOMAIN.md "Registers"): the share of cases that ran past a deadline, the share of
 * spot-checked verdicts overturned, and the share of the year's illegal cases not restored
 * by its end (those the year-end sweep raised a quota deduction for). Each share with its
 * numerator and denominator, flagged at or above the configured line.
 */
import type { PolygonCaseState } from '../cases/states.ts';
import type { OversightConfig } from './config.ts';

export interface WeakEnforcementCase {
  id: number;
  jurisdictionCode: string;
  state: PolygonCaseState | null;
}

export interface Share {
  count: number;
  of: number;
  /** count ÷ of, three decimals; null when `of` is 0. */
  share: number | null;
  flagged: boolean;
}

export interface WeakEnforcementRow {
  unit: string;
  cases: number;
  overdue: Share;
  overturned: Share;
  notRestored: Share;
}

/** A deadline missed: done after it was due, or still open past it at `now`. */
export function missedDeadline(s: PolygonCaseState, now: string): boolean {
  return s.deadlines.some((d) => (d.doneAt ? d.doneAt > d.dueAt : d.dueAt < now));
}

const share = (count: number, of: number, line: number): Share => {
  const v = of > 0 ? Math.round((count / of) * 1000) / 1000 : null;
  return { count, of, share: v, flagged: v !== null && v >= line };
};

/**
 * Per unit (the case's code cut to `unitLength` digits): overdue among cases with a deadline;
 * overturned among cases spot-checked; not restored among illegal verdicts, counting the cases
 * in `notRestoredIds` (the sweep's quota deductions of the year).
 */
export function weakEnforcement(
  cases: readonly WeakEnforcementCase[],
  opts: {
    now: string;
    unitLength: number;
    notRestoredIds: ReadonlySet<number>;
    units?: readonly string[];
    configOf: (province: string) => OversightConfig;
  },
): WeakEnforcementRow[] {
  type Acc = {
    cases: number;
    dl: number;
    overdue: number;
    checked: number;
    overturned: number;
    illegal: number;
    notRestored: number;
  };
  const acc = new Map<string, Acc>();
  const get = (u: string) => {
    let a = acc.get(u);
    if (!a)
      acc.set(
        u,
        (a = {
          cases: 0,
          dl: 0,
          overdue: 0,
          checked: 0,
          overturned: 0,
          illegal: 0,
          notRestored: 0,
        }),
      );
    return a;
  };
  for (const u of opts.units ?? []) get(u.slice(0, opts.unitLength));
  for (const c of cases) {
    const s = c.state;
    if (!s) continue;
    const a = get(c.jurisdictionCode.slice(0, opts.unitLength));
    a.cases++;
    if (s.deadlines.length) {
      a.dl++;
      if (missedDeadline(s, opts.now)) a.overdue++;
    }
    if (s.spotChecks.length) {
      a.checked++;
      if (s.spotChecks.some((f) => !f.upheld)) a.overturned++;
    }
    if (s.determination?.category === 'illegal') {
      a.illegal++;
      if (opts.notRestoredIds.has(c.id)) a.notRestored++;
    }
  }
  return [...acc.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([unit, a]) => {
      const line = opts.configOf(unit.slice(0, 2)).weakEnforcement;
      return {
        unit,
        cases: a.cases,
        overdue: share(a.overdue, a.dl, line.overdueShare),
        overturned: share(a.overturned, a.checked, line.overturnedShare),
        notRestored: share(a.notRestored, a.illegal, line.notRestoredShare),
      };
    });
}
