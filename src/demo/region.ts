/**
 * The Jincheng demo region, whole: real admin tree with synthetic township and village
 * boundaries, synthetic reference layers, and demo 图斑 — deterministic for a seed.
 */
import { ellipsoidalAreaM2 } from '../geo/area.ts';
import type { Areal } from '../geo/types.ts';
import { jinchengAdmin } from './admin-data.ts';
import { changePolygons } from './change-polygons.ts';
import { villageFarmland } from './farmland.ts';
import { IMAGERY_VILLAGE, demoImageryFrame, frameBox } from './imagery-layout.ts';
import { buildJurisdictions } from './jurisdictions.ts';
import { ringCentroid } from './planar.ts';
import { rngFor } from './random.ts';
import {
  DocumentNumbers,
  type VillagePlace,
  redLines,
  scatteredPermits,
} from './reference-layers.ts';
import { farmlandDensity } from './terrain.ts';
import type { DemoJurisdiction, DemoLayerFeature, DemoRegion, JinchengAdminData } from './types.ts';

/** The seed of the published demo; change it and every synthetic geometry changes. */
export const DEMO_SEED = 'gengbao-jincheng-demo-v1';

/**
 * Parcels per km² at density 1: calibrated so the region carries ~30,000 parcels
 * (see region.test.ts), tens of metres to ~190 m a side.
 */
const PARCELS_PER_KM2 = 14.5;

/** Counts of the extra reference features (beyond those generated to cover 图斑). */
const EXTRA = { approval: 240, facility: 30, temporary: 25, homestead: 40, redline: 8 };

export interface DemoRegionOptions {
  seed?: string;
  admin?: JinchengAdminData;
}

/** Target parcel count of a village: its area × the farmland density at its centre. */
function farmlandTarget(seed: string, village: DemoJurisdiction, countyCode: string): number {
  const geometry = village.geometry as Areal;
  const outer = geometry.type === 'Polygon' ? geometry.coordinates[0] : geometry.coordinates[0][0];
  const [x, y] = ringCentroid(outer);
  const km2 = ellipsoidalAreaM2(geometry) / 1e6;
  return Math.round(
    km2 *
      PARCELS_PER_KM2 *
      farmlandDensity(seed, countyCode, x, y, village.name.endsWith('居委会')),
  );
}

/**
 * Farmland parcels and PBF blocks of each village in `jurisdictions`. Each village draws from
 * its own generator, so a partial jurisdiction tree yields the same parcels as the full one.
 */
export function villagePlaces(
  jurisdictions: DemoJurisdiction[],
  seed: string,
): { place: VillagePlace; pbf: DemoLayerFeature[] }[] {
  const byCode = new Map(jurisdictions.map((j) => [j.code, j]));
  return jurisdictions
    .filter((j) => j.level === 'village')
    .map((village) => {
      const countyCode = village.code.slice(0, 6);
      const target = farmlandTarget(seed, village, countyCode);
      const geometry = village.geometry as Areal;
      const { parcels, pbf } = villageFarmland(
        village.code,
        geometry,
        target,
        rngFor(seed, 'farmland', village.code),
      );
      const countyName = byCode.get(countyCode)?.name ?? '';
      return { place: { code: village.code, countyCode, countyName, geometry, parcels }, pbf };
    });
}

/**
 * Builds the whole Jincheng demo region: 1 province, 1 city, 6 counties, 77 townships and
 * 1,729 villages; ~30,000 farmland parcels with PBF, approvals, permits and red lines; ~500
 * 图斑 over two monitoring periods. Pure and deterministic: the same seed gives the same region.
 * @example const region = buildDemoRegion(); region.jurisdictions.length // 1814
 */
export function buildDemoRegion(options: DemoRegionOptions = {}): DemoRegion {
  const seed = options.seed ?? DEMO_SEED;
  const admin = options.admin ?? jinchengAdmin;
  const jurisdictions = buildJurisdictions(admin, seed);
  const villages = villagePlaces(jurisdictions, seed);
  const places = villages.map((v) => v.place);
  const numbers = new DocumentNumbers();
  // A quarter of the 图斑 go under the demo imagery, which shows them (imagery-scene.ts), a
  // share of those in the field chief's village, which the frame holds (accounts.ts).
  const frame = demoImageryFrame(places);
  const { polygons, permits } = changePolygons(
    places,
    rngFor(seed, 'polygons'),
    numbers,
    frame ? frameBox(frame) : undefined,
    IMAGERY_VILLAGE,
  );
  const extraRng = rngFor(seed, 'permits');
  const layers: DemoLayerFeature[] = [
    ...places.flatMap((p) => p.parcels),
    ...villages.flatMap((v) => v.pbf),
    ...redLines(EXTRA.redline, places, rngFor(seed, 'redline')),
    ...permits,
    ...scatteredPermits('approval', EXTRA.approval, places, extraRng, numbers),
    ...scatteredPermits('facility', EXTRA.facility, places, extraRng, numbers),
    ...scatteredPermits('temporary', EXTRA.temporary, places, extraRng, numbers),
    ...scatteredPermits('homestead', EXTRA.homestead, places, extraRng, numbers),
  ];
  return {
    meta: {
      name: `${admin.city.name} (${admin.city.code}) demo region`,
      seed,
      sources: admin.meta.sources,
      note: 'Codes, names and county boundaries are real; township and village boundaries, reference layers and 图斑 are synthetic (meta.synthetic / deterministic from the seed).',
    },
    jurisdictions,
    layers,
    polygons,
  };
}
