/**
 * Synthetic reference layers besides farmland: approvals (农转用/征收批复, 供地), facility-
 * agriculture filings (设施农用地备案), temporary-use permits (临时用地), homestead approvals
 * (宅基地审批) and ecological red lines (生态保护红线). Document numbers follow the real
 * patterns (晋政地〔2025〕123号) and are unique within the region.
 */
import type { Areal, Polygon } from '../geo/types.ts';
import { randomPointIn } from './partition.ts';
import { ringCentroid } from './planar.ts';
import type { Rng } from './random.ts';
import { blob, boxAround, keepInside } from './shapes.ts';
import type { DemoLayerFeature, LayerKind } from './types.ts';

/** A village with what the generators need to place features in it. */
export interface VillagePlace {
  code: string;
  countyCode: string;
  countyName: string;
  geometry: Areal;
  parcels: DemoLayerFeature[];
}

export type PermitKind = Extract<LayerKind, 'approval' | 'facility' | 'temporary' | 'homestead'>;

/** Issues unique document numbers per prefix and year, in the order asked. */
export class DocumentNumbers {
  private readonly next = new Map<string, number>();

  issue(prefix: string, year: number): string {
    const key = `${prefix}/${year}`;
    const n = (this.next.get(key) ?? 0) + 1;
    this.next.set(key, n);
    return `${prefix}〔${year}〕${n}号`;
  }
}

const APPROVAL_TYPES = ['农用地转用', '土地征收', '农用地转用及土地征收', '国有建设用地供地'];
const PROJECTS = [
  '产业园区建设项目',
  '乡村道路改扩建工程',
  '光伏发电项目',
  '物流仓储项目',
  '安置住房项目',
  '学校扩建项目',
  '污水处理厂项目',
];
const FACILITY_USES = ['蔬菜大棚', '畜禽养殖', '粮食晾晒场', '农机库棚', '食用菌种植'];
const TEMPORARY_USES = ['施工便道', '取土场', '项目部驻地', '材料堆场', '地质勘查'];
const SURNAMES = ['王', '李', '张', '赵', '刘', '陈', '杨', '郭', '牛', '常'];

/** A date `YYYY-MM-DD` between `from` and `to` (inclusive, as YYYY-MM-DD), drawn from `rng`. */
export function randomDate(rng: Rng, from: string, to: string): string {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  const day = 86_400_000;
  return new Date(a + Math.floor(rng.next() * ((b - a) / day + 1)) * day)
    .toISOString()
    .slice(0, 10);
}

/**
 * A permit feature of `kind` over `geometry` in `place`, dated between `from` and `to`.
 * @example permitFeature('approval', box, place, rng, numbers, '2025-01-01', '2026-09-30')
 */
export function permitFeature(
  kind: PermitKind,
  geometry: Polygon,
  place: VillagePlace,
  rng: Rng,
  numbers: DocumentNumbers,
  from: string,
  to: string,
): DemoLayerFeature {
  const date = randomDate(rng, from, to);
  const year = Number(date.slice(0, 4));
  const county = place.countyName.slice(0, 1);
  const properties: DemoLayerFeature['properties'] =
    kind === 'approval'
      ? {
          documentNumber: numbers.issue('晋政地', year),
          approvedOn: date,
          approvalType: rng.pick(APPROVAL_TYPES),
          projectName: `${place.countyName}${rng.pick(PROJECTS)}`,
        }
      : kind === 'facility'
        ? {
            filingNumber: numbers.issue(`${county}设农备`, year),
            filedOn: date,
            use: rng.pick(FACILITY_USES),
          }
        : kind === 'temporary'
          ? {
              permitNumber: numbers.issue(`${county}临地`, year),
              validFrom: date,
              validTo: `${year + 2}${date.slice(4)}`,
              use: rng.pick(TEMPORARY_USES),
            }
          : {
              approvalNumber: numbers.issue(`${county}宅审`, year),
              approvedOn: date,
              applicant: `${rng.pick(SURNAMES)}某某`,
            };
  return { layerKind: kind, jurisdictionCode: place.code, geometry, properties };
}

/** Typical footprint (half-size in metres) of each permit kind placed on its own. */
const PERMIT_SIZE: Record<PermitKind, [number, number]> = {
  approval: [60, 220],
  facility: [20, 70],
  temporary: [20, 80],
  homestead: [8, 14],
};

/**
 * `count` permits of `kind` placed over farmland (most) or anywhere in a village, each kept
 * inside its village. Villages are drawn in proportion to their parcels.
 */
export function scatteredPermits(
  kind: PermitKind,
  count: number,
  places: VillagePlace[],
  rng: Rng,
  numbers: DocumentNumbers,
): DemoLayerFeature[] {
  const withFarmland = places.filter((p) => p.parcels.length > 0);
  const out: DemoLayerFeature[] = [];
  for (let tries = 0; out.length < count && tries < count * 20; tries++) {
    const place = rng.pick(withFarmland);
    const parcel = rng.pick(place.parcels);
    const [cx, cy] = rng.chance(0.8)
      ? ringCentroid(parcel.geometry.coordinates[0])
      : randomPointIn(place.geometry, rng);
    const [lo, hi] = PERMIT_SIZE[kind];
    const shape = boxAround(blob(cx, cy, rng.range(lo, hi), rng, 4), 0);
    const geometry = keepInside(shape, place.geometry);
    if (geometry)
      out.push(permitFeature(kind, geometry, place, rng, numbers, '2024-01-01', '2026-09-30'));
  }
  return out;
}

const RED_LINE_FUNCTIONS = ['水源涵养', '生物多样性维护', '水土保持'];
const RED_LINE_AREAS = ['太行山', '中条山', '太岳山', '沁河'];

/**
 * `count` ecological red-line polygons in the villages with the least farmland per area
 * (the mountains), each a 0.6–1.5 km blob kept inside its village.
 */
export function redLines(count: number, places: VillagePlace[], rng: Rng): DemoLayerFeature[] {
  const mountain = [...places]
    .filter((p) => p.parcels.length < 3)
    .sort((a, b) => a.code.localeCompare(b.code));
  const out: DemoLayerFeature[] = [];
  for (let tries = 0; out.length < count && tries < count * 20 && mountain.length > 0; tries++) {
    const place = rng.pick(mountain);
    const [cx, cy] = randomPointIn(place.geometry, rng);
    const geometry = keepInside(blob(cx, cy, rng.range(600, 1500), rng, 12), place.geometry);
    if (!geometry) continue;
    const fn = rng.pick(RED_LINE_FUNCTIONS);
    out.push({
      layerKind: 'redline',
      jurisdictionCode: place.code,
      geometry,
      properties: {
        name: `${rng.pick(RED_LINE_AREAS)}${fn}生态保护红线`,
        function: fn,
        designatedIn: 2022,
      },
    });
  }
  return out;
}
