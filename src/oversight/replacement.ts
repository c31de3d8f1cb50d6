/**
 * Verifying the parcels a county registers to re-designate lost permanent basic farmland
 * (补划): each must be farmland (耕地) in the overlay, must not already be permanent basic
 * farmland, parcels must not overlap one another, and together they must hold at least the
 * 亩 that were lost. The overlay is 套合 itself (src/analyze): the same areas, the same
 * ellipsoid, the same sliver rule. Pure: parcels and reference layers in, a verdict out.
 */
import { analyzePolygons } from '../analyze/analyze.ts';
import { ellipsoidalAreaM2, roundMu, toMu } from '../geo/area.ts';
import { unionAll } from '../geo/overlay.ts';
import type { Areal, Feature } from '../geo/types.ts';
import { mu2 } from './case-facts.ts';
import type { OversightConfig } from './config.ts';

/** Why a parcel or a registration is refused (codes; the message says it in words). */
export type ReplacementProblem = 'not_farmland' | 'already_pbf' | 'overlapping' | 'too_small';

/** One parcel as the overlay found it. */
export interface CheckedParcel {
  index: number;
  areaMu: number;
  farmlandMu: number;
  pbfMu: number;
  problems: ReplacementProblem[];
}

export interface ReplacementCheck {
  accepted: boolean;
  /** 耕地 亩 of the parcels, the amount that counts toward the lost area. */
  farmlandMu: number;
  requiredMu: number;
  parcels: CheckedParcel[];
  /** Problems of the registration as a whole (too small, overlapping parcels). */
  problems: ReplacementProblem[];
  /** What is wrong, Chinese first, one line each. */
  messages: string[];
}

const WORDS: Record<ReplacementProblem, string> = {
  not_farmland: '不是耕地 / not farmland',
  already_pbf: '已是永久基本农田 / already permanent basic farmland',
  overlapping: '地块相互重叠 / parcels overlap each other',
  too_small: '面积不足 / smaller than the area lost',
};

/**
 * Checks replacement parcels against the farmland and permanent-basic-farmland layers (and
 * parcels registered earlier, passed in `pbf` since they are PBF now) for a duty of
 * `requiredMu` 亩.
 * @example checkReplacement([parcel], { farmland, pbf }, 2.4, config).accepted
 */
export function checkReplacement(
  parcels: readonly Areal[],
  layers: { farmland: Iterable<Feature>; pbf: Iterable<Feature> },
  requiredMu: number,
  config: OversightConfig,
): ReplacementCheck {
  const rule = config.replacement;
  const figures = analyzePolygons(
    parcels.map((geometry, i) => ({ type: 'Feature', id: i, geometry, properties: {} })),
    { farmland: layers.farmland, pbf: layers.pbf },
  );
  const checked = figures.map((f, index): CheckedParcel => {
    const problems: ReplacementProblem[] = [];
    if (f.total.m2 <= 0 || f.layers.farmland.m2 < f.total.m2 * rule.minFarmlandShare)
      problems.push('not_farmland');
    if (f.layers.pbf.m2 > rule.maxPbfOverlapM2) problems.push('already_pbf');
    return {
      index,
      areaMu: f.total.mu,
      farmlandMu: f.layers.farmland.mu,
      pbfMu: f.layers.pbf.mu,
      problems,
    };
  });
  const problems: ReplacementProblem[] = [];
  const sumM2 = figures.reduce((s, f) => s + f.total.m2, 0);
  const union = parcels.length > 1 ? unionAll([...parcels]) : (parcels[0] ?? null);
  // Overlapping parcels would count the same ground twice.
  if (union && sumM2 - ellipsoidalAreaM2(union) > 1) problems.push('overlapping');
  const farmlandMu = mu2(checked.reduce((s, p) => s + p.farmlandMu, 0));
  if (farmlandMu < roundMu(requiredMu)) problems.push('too_small');
  const messages = [
    ...checked.flatMap((p) =>
      p.problems.map((x) => `地块 ${p.index + 1}：${WORDS[x]} (${p.areaMu} 亩)`),
    ),
    ...problems.map((x) =>
      x === 'too_small'
        ? `${WORDS[x]}：耕地 ${farmlandMu} 亩 < 应补划 ${roundMu(requiredMu)} 亩`
        : WORDS[x],
    ),
  ];
  return {
    accepted: messages.length === 0,
    farmlandMu,
    requiredMu: roundMu(requiredMu),
    parcels: checked,
    problems,
    messages,
  };
}

/** 亩 of a parcel on the ellipsoid (two decimals). */
export const parcelMu = (g: Areal): number => roundMu(toMu(ellipsoidalAreaM2(g)));
