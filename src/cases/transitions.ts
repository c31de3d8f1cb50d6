/**
 * The whole lifecycle table: every action a 图斑 can undergo, in one place, so the state
 * machine can be read (and drawn) from data. See the three files it joins for each step.
 */
import type { TransitionTable } from './transition-types.ts';
import { VERDICT_TRANSITIONS } from './transitions-verdict.ts';
import { CASE_TRANSITIONS } from './transitions-case.ts';
import { OVERSIGHT_TRANSITIONS } from './transitions-oversight.ts';
import { SUPERVISION_TRANSITIONS } from './transitions-supervision.ts';
import { RECHECK_TRANSITIONS } from './transitions-recheck.ts';

export const TRANSITIONS: TransitionTable = {
  ...VERDICT_TRANSITIONS,
  ...CASE_TRANSITIONS,
  ...OVERSIGHT_TRANSITIONS,
  ...SUPERVISION_TRANSITIONS,
  ...RECHECK_TRANSITIONS,
};
