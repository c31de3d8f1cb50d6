/**
 * Which cases are major (重大) and must be reported to the government at the same level and
 * the authority above (docs/DOMAIN.md "Major cases and escalation"). By default the area thresholds are the
 * criminal filing thresholds for 非法占用农用地罪 (立案追诉标准（一）第67条): 永久基本农田
 * ≥ 5 亩, other 耕地 ≥ 10 亩, other farmland ≥ 20 亩, or a mix whose shares of those
 * thresholds add up to one ("按相应比例折算合计达到有关标准"). Reaching them also means the
 * case should be transferred to the police (行刑衔接). An obstructed case (interference
 * recorded) is major whatever its size.
 */
import type { CasesConfig } from './config.ts';

/** Layer keys of the overlay result (亩 per layer) that the thresholds read. */
export const LAYER_PERMANENT_BASIC_FARMLAND = 'permanent_basic_farmland';
/** 耕地, including the permanent basic farmland on it. */
export const LAYER_FARMLAND = 'farmland';
/** 农用地, including the farmland on it. */
export const LAYER_AGRICULTURAL = 'agricultural';

export interface MajorAssessment {
  major: boolean;
  /** The area thresholds of 非法占用农用地罪 are reached: suggest transfer to the police. */
  criminalThreshold: boolean;
  reasons: string[];
}

/**
 * Classifies a case from its overlay areas (亩) and its interference records.
 * @example assessMajorCase({ permanent_basic_farmland: 6 }, 0, config.majorCase).major // true
 */
export function assessMajorCase(
  layerMu: Readonly<Record<string, number>>,
  interferenceCount: number,
  rule: CasesConfig['majorCase'],
): MajorAssessment {
  const pbf = layerMu[LAYER_PERMANENT_BASIC_FARMLAND] ?? 0;
  const farmland = Math.max(0, (layerMu[LAYER_FARMLAND] ?? 0) - pbf);
  const agricultural = Math.max(0, (layerMu[LAYER_AGRICULTURAL] ?? 0) - pbf - farmland);
  const reasons: string[] = [];
  if (pbf >= rule.permanentBasicFarmlandMu) reasons.push('permanent_basic_farmland_area');
  if (farmland >= rule.farmlandMu) reasons.push('farmland_area');
  if (agricultural >= rule.otherAgriculturalMu) reasons.push('agricultural_area');
  const share =
    pbf / rule.permanentBasicFarmlandMu +
    farmland / rule.farmlandMu +
    agricultural / rule.otherAgriculturalMu;
  // 1e-9: areas arrive rounded to 0.01 亩, so an exact sum of shares may land a hair below 1.
  if (reasons.length === 0 && share >= 1 - 1e-9) reasons.push('combined_area');
  const criminalThreshold = reasons.length > 0;
  if (interferenceCount > 0) reasons.push('obstructed');
  return { major: reasons.length > 0, criminalThreshold, reasons };
}
