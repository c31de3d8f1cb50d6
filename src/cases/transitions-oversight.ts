/**
 * Oversight duties recorded on the polygon itself (docs/DOMAIN.md "Major cases and escalation"): reports of major
 * or urgent cases upward, and 干预记录 — who interfered, when, how, recorded by whom — which
 * is an event like any other and so can never be deleted from the record.
 */
import type { TransitionTable } from './transition-types.ts';
import {
  aboveCounty,
  conflict,
  countyOf,
  endDeadline,
  samePerson,
  startDeadline,
} from './transition-types.ts';
import { ROLES } from './roles.ts';
import { STATUSES, type Fact, type PolygonCaseState } from './states.ts';

/** Every status once a verdict exists, except while it is back with the county. */
const WITH_VERDICT = STATUSES.filter(
  (s) => s === 'determined' || STATUSES.indexOf(s) >= STATUSES.indexOf('reviewed'),
);
const SPOT_CHECKERS = ['supervisor', 'city_reviewer', 'province_monitor'] as const;

/** A spot-check finding, traced to the verdict it checked: who made it and when. */
const finding = (
  s: PolygonCaseState,
  fact: Fact<'spot_check_confirm' | 'spot_check_reject'>,
  upheld: boolean,
) => ({
  spotChecks: [
    ...s.spotChecks,
    { ...fact, upheld, verdictBy: s.determination?.by, verdictAt: s.determination?.at },
  ],
});

export const OVERSIGHT_TRANSITIONS: Pick<
  TransitionTable,
  'report_major' | 'record_interference' | 'spot_check_confirm' | 'spot_check_reject'
> = {
  report_major: {
    action: 'report_major',
    label: '重大案件报告',
    // Also after closing: interference found later makes a closed case one to report.
    from: STATUSES,
    to: 'same',
    roles: ['county_officer', 'city_reviewer'],
    triggers: (s, input, ctx) => {
      const county = countyOf(s.jurisdictionCode, ctx.config);
      return [
        endDeadline('major_report'),
        ...input.reportedTo.map((audience) => ({
          kind: 'notify' as const,
          audience,
          scope: audience === 'level_above' ? aboveCounty(s, ctx) : county,
        })),
      ];
    },
    record: (s, fact) => ({ majorReports: [...s.majorReports, fact] }),
  },
  record_interference: {
    action: 'record_interference',
    label: '干预记录',
    // Interference may come to light after closing, so it can be recorded in every state.
    from: STATUSES,
    to: 'same',
    roles: ROLES.filter((r) => r !== 'admin'),
    triggers: (s, _input, ctx) => {
      const county = countyOf(s.jurisdictionCode, ctx.config);
      return [
        {
          kind: 'notify',
          audience: 'level_above',
          scope: aboveCounty(s, ctx),
        },
        { kind: 'notify', audience: 'discipline', scope: county },
        // An obstructed case is a major case: it must be reported upward.
        { kind: 'require_major_report', reasons: ['obstructed'] },
        startDeadline('major_report', county, ctx),
      ];
    },
    record: (s, fact) => ({
      interferences: [...s.interferences, fact],
      ...(s.caseFile
        ? {
            caseFile: {
              ...s.caseFile,
              major: true,
              majorReasons: [...new Set([...s.caseFile.majorReasons, 'obstructed'])],
            },
          }
        : {}),
    }),
  },
  spot_check_confirm: {
    action: 'spot_check_confirm',
    label: '抽查核实',
    from: WITH_VERDICT,
    to: 'same',
    roles: SPOT_CHECKERS,
    sampled: true,
    available: (s, ctx) => samePerson(ctx, s.determination?.by, 'made the verdict'),
    record: (s, fact) => finding(s, fact, true),
  },
  spot_check_reject: {
    action: 'spot_check_reject',
    label: '抽查纠错',
    // A wrong verdict found by a spot check goes back to the county (退回补正), even when it
    // was closed early: the classic falsification is an illegal polygon closed as lawful.
    from: ['reviewed', 'closed'],
    to: 'returned',
    roles: SPOT_CHECKERS,
    sampled: true,
    available: (s, ctx) =>
      samePerson(ctx, s.determination?.by, 'made the verdict') ??
      (s.caseFile
        ? conflict(
            '已立案的案件通过变更决定纠正，不能退回判定 / a filed case is corrected through its decision, not by returning the verdict',
          )
        : undefined),
    triggers: (s, _input, ctx) => {
      const county = countyOf(s.jurisdictionCode, ctx.config);
      return [
        startDeadline('correction', county, ctx),
        { kind: 'notify', audience: 'county', scope: county },
        { kind: 'notify', audience: 'level_above', scope: aboveCounty(s, ctx) },
      ];
    },
    record: (s, fact) => ({ ...finding(s, fact, false), closure: undefined }),
  },
};
