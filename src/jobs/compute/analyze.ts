import { analyzePolygons, type Layers } from '../../analyze/analyze.ts';
import type { PolygonFigures } from '../../analyze/figures.ts';
import type { Feature } from '../../geo/types.ts';

export interface AnalyzeInput {
  polygons: Feature[];
  layers: Layers;
  jurisdictions: Feature[];
  earlier: Feature[];
}

/** The thread-side half of `analysis.period`: 套合 of a period's 图斑, pure. */
export function analyzeOnThread(input: AnalyzeInput): PolygonFigures[] {
  return analyzePolygons(input.polygons, input.layers, input.jurisdictions, input.earlier);
}
