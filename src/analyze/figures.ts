import { roundMu, toMu } from '../geo/area.ts';
import type { LayerKind } from './config.ts';

/** An area in both units reports use. */
export interface Area {
  m2: number;
  /** 亩, 2 decimals. */
  mu: number;
}

export function area(m2: number): Area {
  return { m2: Math.round(m2 * 100) / 100, mu: roundMu(toMu(m2)) };
}

/** Pre-judgment (预判) flags; a lead for the field check, never a verdict (docs/DOMAIN.md, "套合 (overlay)"). */
export type Flag =
  | '已批'
  | '部分已批'
  | '未批'
  | '占耕'
  | '未批占耕'
  | '占永农'
  | '占生态红线'
  | '设施农用地'
  | '临时用地'
  | '宅基地';

/** Everything 套合 says about one polygon. */
export interface PolygonFigures {
  /** The polygon's id (its feature id, else its position in the input). */
  id: string | number;
  total: Area;
  /** Area inside each reference layer kind. */
  layers: Record<LayerKind, Area>;
  /** Part covered by approvals or permits (approval ∪ facility ∪ temporary ∪ homestead). */
  approved: Area;
  /** Farmland not covered by any approval or permit. */
  unapprovedFarmland: Area;
  flags: Flag[];
  /** The jurisdiction with the largest overlap, if any overlaps. */
  jurisdiction?: { id: string | number; code?: string; name?: string; share: number };
  /** Overlapping polygons of earlier periods with IoU at or above the threshold, best first. */
  earlier: Array<{ id: string | number; iou: number }>;
}
