/**
 * 影像自动复核: the re-check of a rectification on later imagery (docs/DOMAIN.md "Re-check on
 * later imagery"), recorded in the case's record as a side action that moves nothing. Gengbao
 * takes it itself when a new scene covers a case that was stopped, is being rectified or was
 * closed as restored; no person is offered it. What follows from it — the reviewer's one-click
 * 复核通过 (suggested-inputs.ts), the county's alert when building resumed — is a person's
 * decision or a notice, never a change of state made by the imagery alone.
 */
import { conflict, type TransitionTable } from './transition-types.ts';

/** The states in which later imagery has something to say about the ground. */
export const RECHECKED_ON_IMAGERY = [
  'stopped',
  'case_filed',
  'decided',
  'enforced',
  'rectified',
  'rechecked',
  'closed',
] as const;

export const RECHECK_TRANSITIONS: Pick<TransitionTable, 'imagery_recheck'> = {
  imagery_recheck: {
    action: 'imagery_recheck',
    label: '影像自动复核',
    from: RECHECKED_ON_IMAGERY,
    to: 'same',
    // The system acts as a province monitor (services/cases.ts SYSTEM_ACTOR); a person never.
    roles: ['province_monitor'],
    available: (_s, ctx) =>
      ctx.actor.id === 'system'
        ? undefined
        : conflict(
            '影像自动复核由系统在新影像入库时进行 / the re-check on imagery is taken by Gengbao when a new scene covers the 图斑',
          ),
    record: (s, fact) => ({ imageryRechecks: [...(s.imageryRechecks ?? []), fact] }),
  },
};
