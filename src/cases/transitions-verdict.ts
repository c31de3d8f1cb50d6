/**
 * From a found polygon to an accepted verdict (docs/DOMAIN.md "The lifecycle"): 套合, 下发, 核查举证,
 * 判定, 审核 (accept / 退回补正), 异议 and its ruling, and the desk dismissal of a false change.
 */
import type { TransitionContext, TransitionTable } from './transition-types.ts';
import {
  aboveCounty,
  assertConfigured,
  badInput,
  notAboveCounty,
  samePerson,
  countyOf,
  endDeadline,
  startDeadline,
} from './transition-types.ts';
import { assertCovers } from './roles.ts';
import type { PolygonCaseState, ReviewFact, Stamp, Trigger } from './states.ts';
import type { DeadlineKind } from './deadline-config.ts';

const MONITORS = ['province_monitor', 'city_reviewer'] as const;
const FIELD = ['village_chief', 'township_chief', 'county_officer'] as const;
const REVIEWERS = ['city_reviewer'] as const;
const ARBITERS = ['city_reviewer', 'supervisor'] as const;

/** Appends one review outcome, stamped like the fact that made it. */
const review = (
  s: PolygonCaseState,
  outcome: ReviewFact['outcome'],
  fact: Stamp,
  reason?: string,
) => ({
  reviews: [
    ...s.reviews,
    {
      outcome,
      ...(reason === undefined ? {} : { reason }),
      at: fact.at,
      by: fact.by,
      role: fact.role,
    },
  ],
});

/** Back to the county for correction (退回补正): a correction deadline and a notice. */
const backToCounty =
  (ended: DeadlineKind) =>
  (s: PolygonCaseState, _input: unknown, ctx: TransitionContext): Trigger[] => {
    const county = countyOf(s.jurisdictionCode, ctx.config);
    return [
      endDeadline(ended),
      startDeadline('correction', county, ctx),
      { kind: 'notify', audience: 'county', scope: county },
    ];
  };
const lastReturn = (s: PolygonCaseState) =>
  [...s.reviews].reverse().find((r) => r.outcome === 'returned');

export const VERDICT_TRANSITIONS: Pick<
  TransitionTable,
  | 'analyse'
  | 'dismiss'
  | 'push'
  | 'verify'
  | 'determine'
  | 'accept'
  | 'return'
  | 'dispute'
  | 'uphold_dispute'
  | 'reject_dispute'
> = {
  analyse: {
    action: 'analyse',
    label: '套合分析',
    from: ['found'],
    to: 'analysed',
    roles: MONITORS,
    record: (_s, fact) => ({ analysis: fact }),
  },
  dismiss: {
    action: 'dismiss',
    label: '伪变化剔除',
    from: ['found', 'analysed'],
    to: 'closed',
    roles: MONITORS,
    guard: (_s, input, ctx) =>
      assertConfigured('reason', input.reason, ctx.config.dismissalReasons),
    record: (_s, fact) => ({ dismissal: fact }),
  },
  push: {
    action: 'push',
    label: '下发',
    from: ['analysed'],
    to: 'pushed',
    roles: MONITORS,
    guard: (s, input, ctx) => {
      if (!input.unitCode.startsWith(countyOf(s.jurisdictionCode, ctx.config))) {
        throw badInput(
          'unitCode',
          `下发单位不在图斑所在县内 / unit ${input.unitCode} is not inside the polygon's county ${countyOf(s.jurisdictionCode, ctx.config)}`,
        );
      }
      assertCovers(ctx.actor, input.unitCode);
    },
    // Deadlines start at the push (docs/DOMAIN.md "Deadlines"): field verification by the unit, the
    // period's county result by the county.
    triggers: (s, input, ctx) => [
      startDeadline('verify', input.unitCode, ctx),
      startDeadline('county_result', countyOf(input.unitCode, ctx.config), ctx),
      { kind: 'notify', audience: 'assignees', scope: input.unitCode, userIds: input.assigneeIds },
    ],
    record: (_s, fact) => ({ push: fact, jurisdictionCode: fact.unitCode, period: fact.period }),
  },
  verify: {
    action: 'verify',
    label: '核查举证',
    from: ['pushed', 'returned'],
    to: 'verified',
    roles: FIELD,
    guard: (_s, input, ctx) => {
      const min = ctx.config.verification.minPhotos;
      if (input.photos.length < min)
        throw badInput(
          'photos',
          `核查举证至少需要 ${min} 张带定位的现场照片 / field verification needs at least ${min} GPS-stamped site photos`,
        );
    },
    triggers: (s, _input, ctx) => [
      endDeadline('verify'),
      { kind: 'notify', audience: 'county', scope: countyOf(s.jurisdictionCode, ctx.config) },
    ],
    record: (_s, fact) => ({ verification: fact }),
  },
  determine: {
    action: 'determine',
    label: '判定',
    from: ['verified', 'returned'],
    to: 'determined',
    roles: ['county_officer'],
    guard: (s, input, ctx) => {
      const d = ctx.config.determination;
      if (input.category === 'illegal')
        assertConfigured('illegalSubtype', input.illegalSubtype, d.illegalSubtypes);
      if (input.category === 'other')
        assertConfigured('otherReason', input.otherReason, d.otherReasons);
      if (input.category !== 'illegal' && input.ruralHousingReasons.length > 0) {
        throw badInput(
          'ruralHousingReasons',
          '“八不准”情形只用于违法判定 / 八不准 reasons belong to an illegal verdict',
        );
      }
      for (const r of input.ruralHousingReasons)
        assertConfigured('ruralHousingReasons', r, d.ruralHousingReasons);
    },
    triggers: (s, _input, ctx) => {
      const above = aboveCounty(s, ctx);
      return [
        endDeadline('county_result'),
        endDeadline('correction'),
        startDeadline('review', above, ctx),
        { kind: 'require_review', scope: above },
        { kind: 'notify', audience: 'level_above', scope: above },
      ];
    },
    record: (_s, fact) => ({ determination: fact }),
  },
  accept: {
    action: 'accept',
    label: '审核通过',
    from: ['determined'],
    to: 'reviewed',
    roles: REVIEWERS,
    available: (s, ctx) =>
      notAboveCounty(ctx) ?? samePerson(ctx, s.determination?.by, 'made the verdict'),
    triggers: (s, _input, ctx) => {
      const county = countyOf(s.jurisdictionCode, ctx.config);
      const illegal = s.determination?.category === 'illegal';
      return [
        endDeadline('review'),
        { kind: 'notify', audience: 'county', scope: county },
        ...(illegal ? [startDeadline('stop', s.jurisdictionCode, ctx)] : []),
      ];
    },
    record: (s, fact) => review(s, 'accepted', fact, fact.note),
  },
  return: {
    action: 'return',
    label: '退回补正',
    from: ['determined'],
    to: 'returned',
    roles: REVIEWERS,
    available: (s, ctx) =>
      notAboveCounty(ctx) ?? samePerson(ctx, s.determination?.by, 'made the verdict'),
    triggers: backToCounty('review'),
    record: (s, fact) => review(s, 'returned', fact, fact.reason),
  },
  dispute: {
    action: 'dispute',
    label: '异议',
    from: ['returned'],
    to: 'disputed',
    roles: ['county_officer'],
    triggers: (s, _input, ctx) => {
      const above = aboveCounty(s, ctx);
      return [
        endDeadline('correction'),
        startDeadline('dispute_ruling', above, ctx),
        { kind: 'notify', audience: 'level_above', scope: above },
      ];
    },
    record: (_s, fact) => ({ dispute: fact }),
  },
  uphold_dispute: {
    action: 'uphold_dispute',
    label: '异议成立',
    from: ['disputed'],
    to: 'reviewed',
    roles: ARBITERS,
    available: (s, ctx) =>
      notAboveCounty(ctx) ?? samePerson(ctx, lastReturn(s)?.by, 'returned the verdict'),
    triggers: (s, _input, ctx) => [
      endDeadline('dispute_ruling'),
      { kind: 'notify', audience: 'county', scope: countyOf(s.jurisdictionCode, ctx.config) },
      ...(s.determination?.category === 'illegal'
        ? [startDeadline('stop', s.jurisdictionCode, ctx)]
        : []),
    ],
    record: (s, fact) => review(s, 'dispute_upheld', fact, fact.reason),
  },
  reject_dispute: {
    action: 'reject_dispute',
    label: '异议不成立',
    from: ['disputed'],
    to: 'returned',
    roles: ARBITERS,
    available: (s, ctx) =>
      notAboveCounty(ctx) ?? samePerson(ctx, lastReturn(s)?.by, 'returned the verdict'),
    triggers: backToCounty('dispute_ruling'),
    record: (s, fact) => review(s, 'dispute_rejected', fact, fact.reason),
  },
};
