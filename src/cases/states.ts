/**
 * The state of one 图斑 in its enforcement life (docs/DOMAIN.md "The lifecycle"), as a
 * projection of its events: the current status plus every fact the transitions recorded,
 * each stamped with who and when, so a verdict is always traceable to the person who made it.
 */
import type { Role } from './roles.ts';
import type { Action, InputOf } from './inputs.ts';
import type { DeadlineKind } from './deadline-config.ts';

export const STATUSES = [
  'found', // 发现
  'analysed', // 套合
  'pushed', // 下发
  'verified', // 核查举证
  'determined', // 判定 (awaiting review)
  'returned', // 退回补正
  'disputed', // 异议
  'reviewed', // 审核通过
  'stopped', // 制止
  'case_filed', // 立案
  'decided', // 处罚决定
  'enforced', // 执行
  'rectified', // 整改
  'rechecked', // 复核
  'closed', // 结案 / 销号
] as const;
export type Status = (typeof STATUSES)[number];

/** Where a polygon came from (docs/DOMAIN.md "图斑 and their sources"); the same ids as the store's polygons.source. */
export const POLYGON_SOURCES = [
  'detection',
  'batch',
  'patrol',
  'tip',
  'video',
  'manual',
  // Leads handed over from above with a document (docs/DOMAIN.md "Leads from above").
  'inspectorate',
  'media',
  'higher_authority',
] as const;
export type PolygonSource = (typeof POLYGON_SOURCES)[number];

/** Who recorded a fact and when (ISO instant, millisecond precision). */
export interface Stamp {
  at: string;
  by: string;
  role: Role;
}
export type Fact<A extends Action> = Omit<InputOf<A>, 'version'> & Stamp;

export interface ReviewFact extends Stamp {
  outcome: 'accepted' | 'returned' | 'dispute_upheld' | 'dispute_rejected';
  reason?: string;
}

/** A deadline running (or done) on this polygon; `scope` is the unit responsible for meeting it. */
export interface CaseDeadline {
  kind: DeadlineKind;
  scope: string;
  startedAt: string;
  dueAt: string;
  doneAt?: string;
}

export interface PolygonCaseState {
  id: string;
  /** The responsible unit's code; refined downward (county → village) when pushed. */
  jurisdictionCode: string;
  status: Status;
  /** Increases by one with every event; the optimistic-concurrency token. */
  version: number;
  source: PolygonSource;
  sourceRef?: string;
  period?: string;
  found: Stamp;
  analysis?: Fact<'analyse'>;
  dismissal?: Fact<'dismiss'>;
  push?: Fact<'push'>;
  verification?: Fact<'verify'>;
  determination?: Fact<'determine'>;
  /** Every review outcome in order (accept, return, dispute rulings). */
  reviews: ReviewFact[];
  dispute?: Fact<'dispute'>;
  stop?: Fact<'stop'>;
  caseFile?: Fact<'file_case'> & { major: boolean; majorReasons: string[] };
  jointReview: Fact<'sign_joint_review'>[];
  /** The decision in force (after any amendments). */
  decision?: Fact<'decide'>;
  /** The original decision and every amendment, oldest first. */
  decisionHistory: (Fact<'decide'> | Fact<'amend_decision'>)[];
  enforcement?: Fact<'enforce'>;
  transfers: Fact<'transfer'>[];
  rectification?: Fact<'rectify'>;
  rechecks: (Fact<'recheck_pass' | 'recheck_fail'> & { passed: boolean })[];
  /** Re-checks on later imagery (transitions-recheck.ts); optional so older states replay unchanged. */
  imageryRechecks?: Fact<'imagery_recheck'>[];
  majorReports: Fact<'report_major'>[];
  /** 干预记录: kept forever; no action removes one. */
  interferences: Fact<'record_interference'>[];
  /** Spot-check findings, each naming who made the verdict it checked (and when). */
  spotChecks: (Fact<'spot_check_confirm' | 'spot_check_reject'> & {
    upheld: boolean;
    verdictBy?: string;
    verdictAt?: string;
  })[];
  closure?: Fact<'close'>;
  /**
   * 挂牌督办 with the county's progress reports and, once lifted, 摘牌. Optional (like
   * `transferFeedback`) so that states stored before these actions existed replay unchanged.
   */
  listing?: Fact<'list_case'> & {
    progress: Fact<'report_listing_progress'>[];
    lifted?: Fact<'lift_listing'>;
  };
  /** Receipts and outcomes of transfers, each naming the transfer's document number. */
  transferFeedback?: Fact<'transfer_feedback'>[];
  deadlines: CaseDeadline[];
}

/** What a transition asks the rest of the system to do (the store and server act on these). */
export type Trigger =
  | { kind: 'start_deadline'; deadline: DeadlineKind; scope: string; dueAt: string }
  | { kind: 'end_deadline'; deadline: DeadlineKind }
  | { kind: 'notify'; audience: Audience; scope: string; userIds?: string[] }
  | { kind: 'require_review'; scope: string }
  | { kind: 'require_recheck'; scope: string }
  | { kind: 'require_joint_review'; signOffs: number }
  | { kind: 'require_major_report'; reasons: string[] }
  | { kind: 'suggest_transfer'; to: 'police'; reasons: string[] }
  | { kind: 'publishable' };

export type Audience =
  | 'assignees'
  | 'responsible_unit'
  | 'county'
  | 'level_above'
  | 'same_level_government'
  | 'listing_authority'
  | 'police'
  | 'discipline'
  | 'procuratorate';
