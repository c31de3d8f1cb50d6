import type { Feature } from '../geo/types.ts';
import { OverlayAccumulator } from './accumulator.ts';
import { analysisConfig, type AnalysisConfig, type LayerKind } from './config.ts';
import type { PolygonFigures } from './figures.ts';

/** Reference layers by kind, as in-memory features (CGCS2000 lon/lat, valid). */
export type Layers = Partial<Record<LayerKind, Iterable<Feature>>>;

/**
 * 套合 of polygons against reference layers, jurisdictions and earlier periods' polygons:
 * per polygon its ellipsoidal area in m² and 亩, its area on each layer kind, the part covered by
 * approvals or permits, the unapproved farmland, pre-judgment flags, the jurisdiction with the
 * largest overlap, and the earlier polygons it repeats (IoU ≥ threshold). Pure: no I/O.
 * @example
 * const [fig] = analyzePolygons([polygon], { farmland: parcels }, counties, lastMonth, {});
 * fig.unapprovedFarmland.mu // 1.25
 */
export function analyzePolygons(
  polygons: Feature[],
  layers: Layers,
  jurisdictions: Iterable<Feature> = [],
  earlier: Iterable<Feature> = [],
  config: Partial<AnalysisConfig> | AnalysisConfig = {},
): PolygonFigures[] {
  const acc = new OverlayAccumulator(polygons, analysisConfig(config));
  for (const [kind, features] of Object.entries(layers) as Array<[LayerKind, Iterable<Feature>]>)
    for (const f of features) acc.addLayerFeature(kind, f);
  for (const j of jurisdictions) acc.addJurisdiction(j);
  let e = 0;
  for (const f of earlier) acc.addEarlier(f, e++);
  return acc.finish();
}
