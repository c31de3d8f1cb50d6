/**
 * Deadline rules as data, per province and year (docs/DOMAIN.md "Deadlines": polygons issued around
 * the 20th, county results due by the 10th of the next month, city review of all results; the
 * exact numbers change by province and year, so they live here and in overrides, not in code).
 */
import { z } from 'zod';

export const DEADLINE_KINDS = [
  'verify', // field verification after push (核查举证)
  'county_result', // the county's verdict for the period (县级上报)
  'review', // the level above reviews the verdict (审核)
  'correction', // a returned verdict is corrected (退回补正)
  'dispute_ruling', // the level above rules on a dispute (异议)
  'stop', // the illegal building is stopped (制止)
  'decide', // a filed case reaches a decision (结案期限)
  'rectify', // demolished and returned to farming (整改), date set by the decision
  'recheck', // the rectification is re-checked on imagery or on site (复核)
  'major_report', // a major or urgent case is reported upward (重大案件报告)
] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

const IsoDate = z.iso.date();

export const DeadlineRuleSchema = z.discriminatedUnion('kind', [
  /** N days after the start day, due at the end of the last day (local time). */
  z.object({
    kind: z.literal('within_days'),
    days: z.int().min(0),
    calendar: z.enum(['natural', 'working']),
  }),
  /** N hours after the start instant (urgent reports). */
  z.object({ kind: z.literal('within_hours'), hours: z.number().positive() }),
  /** The given day of the month after the start (clamped to the month's length), end of day. */
  z.object({ kind: z.literal('day_of_next_month'), day: z.int().min(1).max(31) }),
]);
export type DeadlineRule = z.infer<typeof DeadlineRuleSchema>;

export const DeadlineConfigSchema = z.object({
  /** Offset of official time from UTC in minutes: China Standard Time is UTC+8 with no DST. */
  timezoneOffsetMinutes: z.int().min(-720).max(840),
  /** Public holidays (YYYY-MM-DD) that are not working days; published yearly by the State Council. */
  holidays: z.array(IsoDate),
  /** Weekend days that are working days (调休上班日). */
  makeupWorkdays: z.array(IsoDate),
  /** The rule for each deadline; 'rectify' has none: its date comes from the decision. */
  rules: z.object({
    verify: DeadlineRuleSchema,
    county_result: DeadlineRuleSchema,
    review: DeadlineRuleSchema,
    correction: DeadlineRuleSchema,
    dispute_ruling: DeadlineRuleSchema,
    stop: DeadlineRuleSchema,
    decide: DeadlineRuleSchema,
    recheck: DeadlineRuleSchema,
    major_report: DeadlineRuleSchema,
  }),
  /** Remind the assignee this many days before a deadline (the tightest one reached is sent). */
  remindDaysBefore: z.array(z.number().min(0)),
  /**
   * Escalation steps after a deadline passes: step i (days overdue ≥ escalateDaysAfter[i])
   * notifies the level i+1 above the responsible unit.
   */
  escalateDaysAfter: z.array(z.number().min(0)).min(1),
});
export type DeadlineConfig = z.infer<typeof DeadlineConfigSchema>;
export type RuledDeadlineKind = keyof DeadlineConfig['rules'];

const days = (n: number, calendar: 'natural' | 'working' = 'natural'): DeadlineRule => ({
  kind: 'within_days',
  days: n,
  calendar,
});

export const DEFAULT_DEADLINE_CONFIG: DeadlineConfig = {
  timezoneOffsetMinutes: 480,
  holidays: [],
  makeupWorkdays: [],
  rules: {
    verify: days(15),
    county_result: { kind: 'day_of_next_month', day: 10 },
    review: days(10),
    correction: days(10),
    dispute_ruling: days(10),
    stop: days(3),
    // 《自然资源行政处罚办法》: a decision within 90 days of filing (extensions need approval).
    decide: days(90),
    recheck: days(30),
    major_report: { kind: 'within_hours', hours: 24 },
  },
  remindDaysBefore: [3, 1],
  escalateDaysAfter: [0, 7],
};
