/**
 * 集体审议: a major case's decision needs sign-offs from several distinct people. One person
 * signing twice counts once (and is refused), so the rule cannot be met by one hand.
 */
import { GengbaoError } from '../errors.ts';

export interface SignOff {
  by: string;
  opinion: 'approve' | 'object';
}

export interface JointReviewStatus {
  approvals: number;
  objections: number;
  required: number;
  complete: boolean;
}

/**
 * Counts distinct signers; complete when at least `required` approve and approvers outnumber
 * objectors (collective decisions are by majority; an objection stays on the record).
 */
export function jointReviewStatus(
  signOffs: readonly SignOff[],
  required: number,
): JointReviewStatus {
  const approvers = new Set(signOffs.filter((s) => s.opinion === 'approve').map((s) => s.by));
  const objectors = new Set(signOffs.filter((s) => s.opinion === 'object').map((s) => s.by));
  return {
    approvals: approvers.size,
    objections: objectors.size,
    required,
    complete: approvers.size >= required && approvers.size > objectors.size,
  };
}

/** The refusal (conflict) of a second sign-off by the same person, or undefined. */
export function alreadySigned(
  signOffs: readonly SignOff[],
  actorId: string,
): GengbaoError | undefined {
  if (!signOffs.some((s) => s.by === actorId)) return undefined;
  return new GengbaoError(
    'conflict',
    `${actorId} has already signed this joint review; sign-offs must come from distinct people`,
    {
      field: 'actor',
    },
  );
}
