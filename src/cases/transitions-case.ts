/**
 * From an accepted illegal verdict to a closed case (docs/DOMAIN.md "The lifecycle"): 制止, 立案查处
 * (direct / joint / 挂牌督办), 集体审议, 处罚决定 and its amendment, 执行 (including
 * court-ordered enforcement), 行刑衔接 transfers, 整改, 复核 and 结案 — plus the early close
 * of lawful and "other" verdicts.
 */
import type { TransitionContext, TransitionTable } from './transition-types.ts';
import {
  aboveCounty,
  badInput,
  conflict,
  countyOf,
  endDeadline,
  samePerson,
  startDeadline,
} from './transition-types.ts';
import type { PolygonCaseState, Trigger } from './states.ts';
import { dueAt, endOfLocalDate } from './calendar.ts';
import { assessMajorCase } from './major-cases.ts';
import { alreadySigned, jointReviewStatus } from './joint-review.ts';
import {
  checkAmendment,
  checkDecisionMeasures,
  checkEnforcementCovers,
  ordersRectification,
} from './decision-rules.ts';
import type { Measure } from './inputs.ts';

const FIELD = ['village_chief', 'township_chief', 'county_officer'] as const;
const RECHECKERS = ['city_reviewer', 'province_monitor', 'supervisor'] as const;
const LATER_CASE_STATES = ['case_filed', 'decided', 'enforced', 'rectified', 'rechecked'] as const;

/** Decisions that leave something to do on the ground (demolish, restore) need 整改 and 复核. */
const needsRectification = (s: PolygonCaseState) => ordersRectification(s.decision?.measures ?? []);

/** The rectification deadline the decision sets, if it orders work on the ground. */
function rectifyDeadline(
  s: PolygonCaseState,
  date: string | undefined,
  ctx: TransitionContext,
): Trigger[] {
  if (date === undefined) return [];
  const dueAt = endOfLocalDate(date, ctx.config.deadlines);
  return [{ kind: 'start_deadline', deadline: 'rectify', scope: s.jurisdictionCode, dueAt }];
}

/** A demolition or restoration order names its date, and the date is not already past. */
function checkRectifyBy(
  measures: readonly Measure[],
  date: string | undefined,
  ctx: TransitionContext,
): void {
  if (date === undefined) {
    if (ordersRectification(measures))
      throw badInput(
        'rectifyBy',
        '责令拆除或恢复原状须填写整改期限 / a demolition or restoration order sets the date it is due (rectifyBy)',
      );
    return;
  }
  if (endOfLocalDate(date, ctx.config.deadlines) < ctx.now)
    throw badInput(
      'rectifyBy',
      `整改期限已过，请选择今天或以后的日期 / rectifyBy ${date} is already past`,
    );
}

export const CASE_TRANSITIONS: Pick<
  TransitionTable,
  | 'stop_early'
  | 'stop'
  | 'file_case'
  | 'sign_joint_review'
  | 'decide'
  | 'amend_decision'
  | 'enforce'
  | 'transfer'
  | 'rectify'
  | 'recheck_pass'
  | 'recheck_fail'
  | 'close'
> = {
  stop_early: {
    action: 'stop_early',
    label: '早制止',
    // Stopping is "as early as possible": it may come before the verdict is reviewed.
    from: ['pushed', 'verified', 'determined', 'returned', 'disputed'],
    to: 'same',
    roles: FIELD,
    triggers: (s, _i, ctx) => [
      { kind: 'notify', audience: 'county', scope: countyOf(s.jurisdictionCode, ctx.config) },
    ],
    record: (_s, fact) => ({ stop: fact }),
  },
  stop: {
    action: 'stop',
    label: '制止',
    from: ['reviewed'],
    to: 'stopped',
    roles: FIELD,
    available: (s) =>
      s.determination?.category === 'illegal'
        ? undefined
        : conflict(
            `判定不是违法，应结案而非制止 / a ${s.determination?.category} verdict is closed, not stopped`,
          ),
    triggers: () => [endDeadline('stop')],
    record: (_s, fact) => ({ stop: fact }),
  },
  file_case: {
    action: 'file_case',
    label: '立案',
    from: ['stopped'],
    to: 'case_filed',
    roles: ['county_officer'],
    triggers: (s, input, ctx) => {
      const county = countyOf(s.jurisdictionCode, ctx.config);
      const major = assessMajorCase(
        s.analysis?.layerMu ?? {},
        s.interferences.length,
        ctx.config.majorCase,
      );
      const t: Trigger[] = [startDeadline('decide', county, ctx)];
      if (major.major) {
        t.push(
          { kind: 'require_major_report', reasons: major.reasons },
          startDeadline('major_report', county, ctx),
        );
        t.push({ kind: 'require_joint_review', signOffs: ctx.config.jointReview.requiredSignOffs });
      }
      if (major.criminalThreshold)
        t.push({ kind: 'suggest_transfer', to: 'police', reasons: major.reasons });
      if (input.mode === 'supervised')
        t.push({ kind: 'notify', audience: 'listing_authority', scope: aboveCounty(s, ctx) });
      return t;
    },
    record: (_s, fact, triggers) => {
      const major = triggers.find((t) => t.kind === 'require_major_report');
      return {
        caseFile: { ...fact, major: major !== undefined, majorReasons: major?.reasons ?? [] },
      };
    },
  },
  sign_joint_review: {
    action: 'sign_joint_review',
    label: '集体审议',
    from: ['case_filed'],
    to: 'same',
    roles: ['county_officer', 'city_reviewer'],
    available: (s, ctx) => alreadySigned(s.jointReview, ctx.actor.id),
    record: (s, fact) => ({ jointReview: [...s.jointReview, fact] }),
  },
  decide: {
    action: 'decide',
    label: '处罚决定',
    from: ['case_filed'],
    to: 'decided',
    roles: ['county_officer'],
    available: (s, ctx) => {
      if (!s.caseFile?.major) return undefined;
      const jr = jointReviewStatus(s.jointReview, ctx.config.jointReview.requiredSignOffs);
      return jr.complete
        ? undefined
        : conflict(
            `重大案件须经集体审议后作出决定（已同意 ${jr.approvals}/${jr.required}） / a major case is decided after joint review: ${jr.approvals}/${jr.required} approvals, ${jr.objections} objections`,
          );
    },
    guard: (s, input, ctx) => {
      checkDecisionMeasures(
        input.measures,
        s.analysis?.preJudgment.onPermanentBasicFarmland ?? false,
      );
      checkRectifyBy(input.measures, input.rectifyBy, ctx);
    },
    triggers: (s, input, ctx) => [
      endDeadline('decide'),
      ...rectifyDeadline(s, input.rectifyBy, ctx),
      { kind: 'notify', audience: 'responsible_unit', scope: s.jurisdictionCode },
    ],
    record: (s, fact) => ({ decision: fact, decisionHistory: [...s.decisionHistory, fact] }),
  },
  amend_decision: {
    action: 'amend_decision',
    label: '变更决定',
    from: ['decided'],
    to: 'same',
    roles: ['county_officer'],
    guard: (s, input, ctx) => {
      checkAmendment(s.decision?.measures ?? [], input.measures);
      checkDecisionMeasures(
        input.measures,
        s.analysis?.preJudgment.onPermanentBasicFarmland ?? false,
      );
      checkRectifyBy(input.measures, input.rectifyBy, ctx);
    },
    triggers: (s, input, ctx) => [
      endDeadline('rectify'),
      ...rectifyDeadline(s, input.rectifyBy, ctx),
      { kind: 'notify', audience: 'level_above', scope: aboveCounty(s, ctx) },
    ],
    record: (s, fact) => ({
      decision: {
        ...s.decision!,
        decisionNo: fact.decisionNo,
        measures: fact.measures,
        rectifyBy: fact.rectifyBy,
        at: fact.at,
        by: fact.by,
        role: fact.role,
      },
      decisionHistory: [...s.decisionHistory, fact],
    }),
  },
  enforce: {
    action: 'enforce',
    label: '执行',
    from: ['decided'],
    to: 'enforced',
    roles: ['county_officer'],
    guard: (s, input) => checkEnforcementCovers(s.decision?.measures ?? [], input.measuresDone),
    triggers: (s, _i, ctx) => [
      { kind: 'notify', audience: 'level_above', scope: aboveCounty(s, ctx) },
    ],
    record: (_s, fact) => ({ enforcement: fact }),
  },
  transfer: {
    action: 'transfer',
    label: '移送（行刑衔接）',
    from: LATER_CASE_STATES,
    to: 'same',
    roles: ['county_officer'],
    triggers: (s, input, ctx) => [
      { kind: 'notify', audience: input.to, scope: countyOf(s.jurisdictionCode, ctx.config) },
    ],
    record: (s, fact) => ({ transfers: [...s.transfers, fact] }),
  },
  rectify: {
    action: 'rectify',
    label: '整改',
    from: ['enforced'],
    to: 'rectified',
    roles: FIELD,
    available: (s) =>
      needsRectification(s)
        ? undefined
        : conflict(
            '处罚决定无须拆除或复耕，请直接结案 / the decision orders nothing to undo on the ground; close the case instead',
          ),
    triggers: (s, _i, ctx) => [
      endDeadline('rectify'),
      startDeadline('recheck', aboveCounty(s, ctx), ctx),
      { kind: 'require_recheck', scope: aboveCounty(s, ctx) },
    ],
    record: (_s, fact) => ({ rectification: fact }),
  },
  recheck_pass: {
    action: 'recheck_pass',
    label: '复核通过',
    from: ['rectified'],
    to: 'rechecked',
    roles: RECHECKERS,
    available: (s, ctx) => samePerson(ctx, s.rectification?.by, 'reported the rectification'),
    triggers: () => [endDeadline('recheck')],
    record: (s, fact) => ({ rechecks: [...s.rechecks, { ...fact, passed: true }] }),
  },
  recheck_fail: {
    action: 'recheck_fail',
    label: '复核未通过',
    from: ['rectified'],
    to: 'enforced',
    roles: RECHECKERS,
    available: (s, ctx) => samePerson(ctx, s.rectification?.by, 'reported the rectification'),
    triggers: (s, _i, ctx) => [
      endDeadline('recheck'),
      {
        kind: 'start_deadline',
        deadline: 'rectify',
        scope: s.jurisdictionCode,
        dueAt: dueAt(ctx.config.deadlines.rules.correction, ctx.now, ctx.config.deadlines),
      },
      { kind: 'notify', audience: 'responsible_unit', scope: s.jurisdictionCode },
    ],
    record: (s, fact) => ({ rechecks: [...s.rechecks, { ...fact, passed: false }] }),
  },
  close: {
    action: 'close',
    label: '结案销号',
    from: ['reviewed', 'enforced', 'rechecked'],
    to: 'closed',
    roles: ['county_officer'],
    available: (s, ctx) => {
      const category = s.determination?.category;
      if (
        s.status === 'reviewed' &&
        (category === 'illegal' || !ctx.config.determination.closeEarly.some((c) => c === category))
      ) {
        return conflict(
          `a ${category} verdict is not closed early: it is stopped, filed, decided, enforced and rectified first`,
        );
      }
      if (s.status === 'enforced' && needsRectification(s))
        return conflict(
          '处罚决定责令拆除或恢复原状，须先整改并复核 / the decision orders demolition or restoration: rectify and recheck first',
        );
      return undefined;
    },
    triggers: (s) => [
      ...s.deadlines.filter((d) => d.doneAt === undefined).map((d) => endDeadline(d.kind)),
      ...(s.decision ? [{ kind: 'publishable' } as const] : []),
    ],
    record: (_s, fact) => ({ closure: fact }),
  },
};
