/**
 * Oversight duties recorded on the polygon itself (DOMAIN.md "Escalation"): reports of major
 * or urgent cases upward, and 干预记录 — who interfered, when, how, recorded by whom — which
 * is an event like any other and so can never be deleted from the record.
 */
import type { TransitionTable } from './transition-types.ts';
import { aboveCounty, countyOf, endDeadline, startDeadline } from './transition-types.ts';
import { ROLES } from './roles.ts';
import { STATUSES } from './states.ts';

export const OVERSIGHT_TRANSITIONS: Pick<TransitionTable, 'report_major' | 'record_interference'> =
  {
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
  };
