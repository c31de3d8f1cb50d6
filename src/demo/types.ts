/**
 * Shapes of the Jincheng demo region (晋城市, 140500): what `buildDemoRegion()` returns and
 * what the store's demo loader (`src/demo/load.ts`) writes to PostgreSQL.
 */
import type { Areal, Polygon } from '../geo/types.ts';
import type { JurisdictionLevel } from '../grid/index.ts';

/** Where a geometry comes from: real (with its source) or synthesised (with the method). */
export type GeometryMeta =
  | { synthetic: false; source: string; note?: string }
  | { synthetic: true; method: string; seed: string };

export interface DemoJurisdiction {
  /** GB/T 2260 (6 digits) extended to 9 (township) and 12 (village) digits; 140000 and 140500 above. */
  code: string;
  level: JurisdictionLevel;
  parentCode: string | null;
  name: string;
  geometry: Areal | null;
  meta: GeometryMeta | { synthetic: false; source: string; geometry: 'none' };
}

export { LAYER_KINDS, type LayerKind } from '../analyze/kinds.ts';
import type { LayerKind } from '../analyze/kinds.ts';

export type PropertyValue = string | number | boolean | null;

/** One feature of a reference layer; `jurisdictionCode` is the village it lies in. */
export interface DemoLayerFeature {
  layerKind: LayerKind;
  jurisdictionCode: string;
  geometry: Polygon;
  properties: Record<string, PropertyValue>;
}

export type PolygonSource = 'detection' | 'batch' | 'patrol' | 'tip' | 'video';
export type MonitoringPeriod = '2026-10' | '2026-11';

/**
 * A demo 图斑. `code` = county code (6) + period year (4) + month (2) + a 4-digit sequence
 * within that county and period, e.g. '1405212026110001' is the first 图斑 of 沁水县 in 2026-11.
 */
export interface DemoPolygon {
  code: string;
  source: PolygonSource;
  period: MonitoringPeriod;
  /** The village the polygon lies in. */
  jurisdictionCode: string;
  geometry: Polygon;
  properties: Record<string, PropertyValue>;
}

export interface DemoRegion {
  meta: {
    name: string;
    seed: string;
    /** Source packages of the real admin data, from `src/demo/data/jincheng-admin.json`. */
    sources: AdminSource[];
    note: string;
  };
  jurisdictions: DemoJurisdiction[];
  layers: DemoLayerFeature[];
  polygons: DemoPolygon[];
}

export interface AdminSource {
  package: string;
  version: string;
  integrity: string;
  files: string[];
  used: string;
}

/** The committed data file written by `scripts/derive-jincheng.ts`. */
export interface JinchengAdminData {
  meta: {
    description: string;
    sources: AdminSource[];
    geometry: { crs: string; quantisation: string; datum: string; normalised: string };
    statisticsYear: number;
  };
  province: { code: string; name: string };
  city: { code: string; name: string };
  counties: { code: string; name: string; geometry: Areal }[];
  townships: { code: string; name: string; parentCode: string }[];
  villages: { code: string; name: string; parentCode: string }[];
}
