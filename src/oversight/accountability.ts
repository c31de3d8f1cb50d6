/**
 * Measures about a region, a unit or a person rather than one case (docs/DOMAIN.md
 * "Registers", "Scorecards"): 约谈 (summons of a region's officials), 通报批评 (notice of
 * criticism), 移交纪检监察机关 (a region handed over to the discipline bodies for its leaders'
 * accountability, 《违反土地管理规定行为处分办法》 art. 3), and the rewards and penalties of the scorecards. Each names the unit (a code of
 * the grid), optionally the person, the document that carried it and what it rests on.
 */
import { z } from 'zod';

export const ACCOUNTABILITY_KINDS = [
  'summons',
  'criticism',
  'referral',
  'reward',
  'penalty',
] as const;
export type AccountabilityKind = (typeof ACCOUNTABILITY_KINDS)[number];

/** What a measure rests on: the 15 % indicator, the signs of weak enforcement, a scorecard, a case. */
export const ACCOUNTABILITY_BASES = [
  'illegal_ratio',
  'weak_enforcement',
  'scorecard',
  'case',
  'other',
] as const;
export type AccountabilityBasis = (typeof ACCOUNTABILITY_BASES)[number];

/** Who may record each kind: summons and criticism come from above; rewards and penalties too. */
export const ACCOUNTABILITY_LABELS: Record<AccountabilityKind, string> = {
  summons: '约谈',
  criticism: '通报批评',
  referral: '移交纪检监察机关',
  reward: '奖励',
  penalty: '处罚',
};

const Text = z.string().trim().min(1).max(2000);

export const AccountabilityInput = z.object({
  kind: z.enum(ACCOUNTABILITY_KINDS),
  /** The region or unit concerned: a county, township or village code. */
  unitCode: z.string().regex(/^\d{6,12}$/, 'a county, township or village code'),
  personName: z.string().trim().min(1).max(100).optional(),
  personPosition: z.string().trim().min(1).max(100).optional(),
  year: z.int().min(2000).max(2200),
  basis: z.enum(ACCOUNTABILITY_BASES),
  docNo: Text,
  issuedOn: z.iso.date(),
  issuingBody: Text,
  reason: Text,
  note: z.string().max(4000).default(''),
});
export type AccountabilityInput = z.infer<typeof AccountabilityInput>;
