/**
 * Reminders before a deadline and escalation after it (docs/DOMAIN.md "Deadlines"):
 * a pure function of the running deadlines and `now`, which a scheduled job calls and whose
 * notifications the store inserts once each (every one has a stable `key`, so running the
 * job twice, or after a pause, sends nothing twice). Overdue items — open or done late —
 * are flagged and counted per responsible unit for the statistics.
 */
import type { DeadlineConfig, DeadlineKind } from './deadline-config.ts';
import type { PolygonCaseState } from './states.ts';
import { DEFAULT_GRID_PREFIX_LENGTHS, levelAbove } from '../grid/index.ts';

const DAY_MS = 86_400_000;

/** One deadline of one item (a polygon, a period's county result…). */
export interface DeadlineItem {
  /** Stable identity: the same deadline always has the same key. */
  key: string;
  entityId: string;
  kind: DeadlineKind;
  /** The unit responsible for meeting it (jurisdiction code). */
  scope: string;
  startedAt: string;
  dueAt: string;
  doneAt?: string;
}

export interface Reminder {
  key: string;
  item: DeadlineItem;
  daysBefore: number;
  /** Whom to remind: the responsible unit. */
  notifyScope: string;
}

export interface Escalation {
  key: string;
  item: DeadlineItem;
  /** 1 = the level above the responsible unit, 2 = the level above that, … */
  step: number;
  overdueDays: number;
  notifyScope: string;
}

export interface OverdueFlag {
  item: DeadlineItem;
  /** Whole days past due (0 within the first day). */
  overdueDays: number;
  /** True when the work was done, but late. */
  doneLate: boolean;
}

export interface DeadlineCounts {
  open: number;
  overdue: number;
  doneLate: number;
}

export interface DeadlineReport {
  reminders: Reminder[];
  escalations: Escalation[];
  overdue: OverdueFlag[];
  /** Per responsible unit (item.scope). */
  counts: Record<string, DeadlineCounts>;
}

export interface EvaluateOptions {
  /** The grid ladder (CasesConfig.gridPrefixLengths) for finding the level above. */
  ladder?: readonly number[];
  /** Keys of notifications already sent; they are not returned again. */
  alreadySent?: ReadonlySet<string>;
}

/** The deadlines of one polygon as items, keyed by polygon, kind and start. */
export function deadlineItemsOf(state: PolygonCaseState): DeadlineItem[] {
  return state.deadlines.map((d) => ({
    ...d,
    key: `${state.id}:${d.kind}:${d.startedAt}`,
    entityId: state.id,
  }));
}

/**
 * What is due at `now`: for each open item, the tightest reminder reached (3 days before, then
 * 1 day before, by default) and every escalation step reached; for every item past due (open
 * or done late), an overdue flag and a count for its unit.
 * @example evaluateDeadlines(items, now, config.deadlines, { ladder: config.gridPrefixLengths })
 */
export function evaluateDeadlines(
  items: readonly DeadlineItem[],
  now: Date,
  cfg: DeadlineConfig,
  opts: EvaluateOptions = {},
): DeadlineReport {
  const ladder = opts.ladder ?? DEFAULT_GRID_PREFIX_LENGTHS;
  const sent = opts.alreadySent ?? new Set<string>();
  const t = now.getTime();
  const report: DeadlineReport = { reminders: [], escalations: [], overdue: [], counts: {} };
  const remindDays = [...cfg.remindDaysBefore].sort((a, b) => a - b);
  for (const item of items) {
    const due = Date.parse(item.dueAt);
    const done = item.doneAt === undefined ? undefined : Date.parse(item.doneAt);
    const counts = (report.counts[item.scope] ??= { open: 0, overdue: 0, doneLate: 0 });
    if (done !== undefined) {
      if (done > due) {
        counts.doneLate += 1;
        report.overdue.push({
          item,
          overdueDays: Math.floor((done - due) / DAY_MS),
          doneLate: true,
        });
      }
      continue;
    }
    counts.open += 1;
    if (t <= due) {
      const d = remindDays.find((days) => t >= due - days * DAY_MS);
      const key = `${item.key}:remind:${d}`;
      if (d !== undefined && !sent.has(key))
        report.reminders.push({ key, item, daysBefore: d, notifyScope: item.scope });
      continue;
    }
    counts.overdue += 1;
    const overdueDays = Math.floor((t - due) / DAY_MS);
    report.overdue.push({ item, overdueDays, doneLate: false });
    let scope = item.scope;
    cfg.escalateDaysAfter.forEach((after, i) => {
      scope = levelAbove(scope, ladder);
      const key = `${item.key}:escalate:${i + 1}`;
      if (t - due >= after * DAY_MS && !sent.has(key)) {
        report.escalations.push({ key, item, step: i + 1, overdueDays, notifyScope: scope });
      }
    });
  }
  return report;
}
