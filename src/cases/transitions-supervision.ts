/**
 * Supervision from above recorded on the case itself (docs/DOMAIN.md "Registers"): 挂牌督办 by
 * a higher authority, the county's progress reports, 摘牌 once the case is resolved, and what
 * the police, procuratorate or discipline body answered a transfer (receipt, outcome). Side
 * actions: the case keeps its state, the record gains the fact.
 */
import type { TransitionTable } from './transition-types.ts';
import { aboveCounty, badInput, conflict, countyOf } from './transition-types.ts';
import { STATUSES, type PolygonCaseState } from './states.ts';

/** Higher authorities that list a case and lift the listing. */
const LISTERS = ['supervisor', 'province_monitor', 'city_reviewer'] as const;
/** A listing is lifted once the case is resolved on the ground or closed. */
const RESOLVED = ['enforced', 'rectified', 'rechecked', 'closed'] as const;

const listed = (s: PolygonCaseState) => s.listing !== undefined && s.listing.lifted === undefined;

export const SUPERVISION_TRANSITIONS: Pick<
  TransitionTable,
  'list_case' | 'report_listing_progress' | 'lift_listing' | 'transfer_feedback'
> = {
  list_case: {
    action: 'list_case',
    label: '挂牌督办',
    from: STATUSES.filter((s) => s !== 'closed'),
    to: 'same',
    roles: LISTERS,
    available: (s) => (listed(s) ? conflict('the case is already listed (挂牌督办)') : undefined),
    triggers: (s, _i, ctx) => [
      { kind: 'notify', audience: 'county', scope: countyOf(s.jurisdictionCode, ctx.config) },
    ],
    record: (_s, fact) => ({ listing: { ...fact, progress: [] } }),
  },
  report_listing_progress: {
    action: 'report_listing_progress',
    label: '督办进展',
    from: STATUSES,
    to: 'same',
    roles: ['county_officer'],
    available: (s) => (listed(s) ? undefined : conflict('the case is not listed (挂牌督办)')),
    triggers: (s, _i, ctx) => [
      { kind: 'notify', audience: 'listing_authority', scope: aboveCounty(s, ctx) },
    ],
    record: (s, fact) => ({
      listing: { ...s.listing!, progress: [...s.listing!.progress, fact] },
    }),
  },
  lift_listing: {
    action: 'lift_listing',
    label: '摘牌',
    from: RESOLVED,
    to: 'same',
    roles: LISTERS,
    available: (s) => (listed(s) ? undefined : conflict('the case is not listed (挂牌督办)')),
    triggers: (s, _i, ctx) => [
      { kind: 'notify', audience: 'county', scope: countyOf(s.jurisdictionCode, ctx.config) },
    ],
    record: (s, fact) => ({ listing: { ...s.listing!, lifted: fact } }),
  },
  transfer_feedback: {
    action: 'transfer_feedback',
    label: '移送回执与结果',
    from: STATUSES,
    to: 'same',
    roles: ['county_officer', 'city_reviewer'],
    available: (s) =>
      s.transfers.length > 0 ? undefined : conflict('the case was not transferred (移送)'),
    guard: (s, input) => {
      if (!s.transfers.some((t) => t.docNo === input.transferDocNo))
        throw badInput(
          'transferDocNo',
          `no transfer with document ${input.transferDocNo} (one of: ${s.transfers.map((t) => t.docNo).join(', ')})`,
        );
    },
    record: (s, fact) => ({ transferFeedback: [...(s.transferFeedback ?? []), fact] }),
  },
};
