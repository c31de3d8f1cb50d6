/**
 * Demo 图斑 for two monitoring periods (2026-10, 2026-11), with the situations the overlay
 * and case work must meet: most on farmland (and so, often, on PBF), some covered by an
 * approval or a facility / temporary-use / homestead permit (the overlay should find them
 * lawful or explained), some off farmland, and some 2026-11 polygons repeating a 2026-10 one.
 * A quarter of each period's new polygons are drawn under the demo imagery (the `spotlight`
 * box), so a reviewer opening one finds it in the before/after pair.
 */
import { bboxIntersects, bboxOf } from '../geo/bbox.ts';
import type { BBox, Polygon } from '../geo/types.ts';
import { randomPointIn } from './partition.ts';
import { containsPoint, metresPerDegree, ringCentroid, roundCoord } from './planar.ts';
import type { Rng } from './random.ts';
import {
  type DocumentNumbers,
  type PermitKind,
  type VillagePlace,
  permitFeature,
  randomDate,
} from './reference-layers.ts';
import { blob, boxAround, keepInside } from './shapes.ts';
import type {
  DemoLayerFeature,
  DemoPolygon,
  MonitoringPeriod,
  PolygonSource,
  PropertyValue,
} from './types.ts';

/** New polygons per period, and 2026-11 repeats of 2026-10 polygons. */
const NEW_PER_PERIOD: Record<MonitoringPeriod, number> = { '2026-10': 240, '2026-11': 220 };
const REPEATS = 40;
/** Every SPOTLIGHT_EVERY-th new polygon of a period is drawn under the imagery (25 %). */
const SPOTLIGHT_EVERY = 4;
/** How far inside the imagery's edge a spotlight polygon's centre lies, metres. */
const SPOTLIGHT_MARGIN = 300;
/** Clearance between polygons under the imagery, metres: each shows as its own change. */
const SPOTLIGHT_CLEARANCE = 30;
/**
 * Every CHIEF_EVERY-th spotlight polygon on farmland lies in the field chief's village: left to
 * the draw, that village tied with a neighbour under the imagery (15 图斑 each), and the demo
 * needs it strictly the busiest of its county (accounts.ts places `zz.village` there).
 */
const CHIEF_EVERY = 5;

const SOURCES: [PolygonSource, number][] = [
  ['detection', 0.65],
  ['batch', 0.12],
  ['patrol', 0.1],
  ['tip', 0.07],
  ['video', 0.06],
];

/** What a polygon is, for the demo: the overlay and the cases should arrive at the same story. */
type Scenario =
  'unapproved' | 'off-farmland' | 'approved' | 'facility' | 'temporary' | 'homestead' | 'repeat';
const COVERED: [Exclude<PermitKind, never>, number][] = [
  ['approval', 0.12],
  ['facility', 0.05],
  ['temporary', 0.03],
  ['homestead', 0.03],
];
const CHANGE_TYPES = ['新建建筑', '推填土', '硬化地面', '道路', '堆放物'];

function pickWeighted<T>(rng: Rng, items: [T, number][]): T | null {
  let r = rng.next();
  for (const [item, w] of items) {
    if (r < w) return item;
    r -= w;
  }
  return null;
}

/**
 * The days a period's 图斑 may be found on: from the 1st to the 19th — the period's 图斑 are
 * issued around the 20th (docs/DOMAIN.md "Deadlines"; the case walk pushes them from the 21st),
 * so no 图斑 is found after its verification deadline started running.
 */
function periodDates(period: MonitoringPeriod): { from: string; to: string } {
  return period === '2026-10'
    ? { from: '2026-10-01', to: '2026-10-19' }
    : { from: '2026-11-01', to: '2026-11-19' };
}

function sourceProperties(
  source: PolygonSource,
  period: MonitoringPeriod,
  place: VillagePlace,
  rng: Rng,
): Record<string, PropertyValue> {
  const { from, to } = periodDates(period);
  switch (source) {
    case 'detection':
      return {
        score: Math.round(rng.range(0.55, 0.99) * 100) / 100,
        imageryBefore: period === '2026-10' ? '2026-09-16' : '2026-10-18',
        imageryAfter: period === '2026-10' ? '2026-10-18' : '2026-11-17',
      };
    case 'batch':
      return { batchId: `ZRB-${period}-B${rng.int(1, 4)}`, issuedBy: '自然资源部' };
    case 'patrol':
      return { reportedBy: 'village_chief', patrolledOn: randomDate(rng, from, to) };
    case 'tip':
      return {
        channel: rng.pick(['12336', '12345', 'web']),
        receivedOn: randomDate(rng, from, to),
      };
    case 'video':
      return { cameraId: `CAM-${place.countyCode}-${String(rng.int(1, 40)).padStart(3, '0')}` };
  }
}

interface Draft {
  period: MonitoringPeriod;
  place: VillagePlace;
  geometry: Polygon;
  source: PolygonSource;
  scenario: Scenario;
  repeatOf?: Draft;
  properties: Record<string, PropertyValue>;
  code?: string;
}

/** A 15–120 m blob around a centre on farmland (a parcel's, jittered) or off it, kept inside the village. */
function changeAt(place: VillagePlace, centre: [number, number], rng: Rng): Polygon | null {
  return keepInside(blob(centre[0], centre[1], rng.range(8, 60), rng), place.geometry);
}

/** A parcel's centre moved by up to 15 m each way. */
function parcelCentre(parcel: DemoLayerFeature, rng: Rng): [number, number] {
  const [cx, cy] = ringCentroid(parcel.geometry.coordinates[0]);
  const m = metresPerDegree(cy);
  return [cx + rng.range(-15, 15) / m.lon, cy + rng.range(-15, 15) / m.lat];
}

/** A 15–120 m blob on a random farmland parcel (or anywhere in the village), kept inside it. */
function placeChange(place: VillagePlace, onFarmland: boolean, rng: Rng): Polygon | null {
  const centre = onFarmland
    ? parcelCentre(rng.pick(place.parcels), rng)
    : randomPointIn(place.geometry, rng);
  return changeAt(place, centre, rng);
}

/** `box` shrunk by `metres` on every side. */
function inset(box: BBox, metres: number): BBox {
  const m = metresPerDegree((box[1] + box[3]) / 2);
  const [dx, dy] = [metres / m.lon, metres / m.lat];
  return [box[0] + dx, box[1] + dy, box[2] - dx, box[3] - dy];
}

/** `box` grown by `metres` on every side. */
function pad(box: BBox, metres: number): BBox {
  return inset(box, -metres);
}

const inBox = (b: BBox, x: number, y: number): boolean =>
  x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3];

/**
 * Where spotlight polygons go: the farmland parcels whose centre lies in `inner`, and the
 * villages reaching into it (for off-farmland points).
 */
function spotlightPool(places: VillagePlace[], inner: BBox, chiefVillage?: string) {
  const parcels: { place: VillagePlace; parcel: DemoLayerFeature }[] = [];
  const villages: VillagePlace[] = [];
  for (const place of places) {
    if (!bboxIntersects(bboxOf(place.geometry), inner)) continue;
    villages.push(place);
    for (const parcel of place.parcels) {
      const [x, y] = ringCentroid(parcel.geometry.coordinates[0]);
      if (inBox(inner, x, y)) parcels.push({ place, parcel });
    }
  }
  const chief = parcels.filter((p) => p.place.code === chiefVillage);
  return { parcels, villages, chief };
}

/** A spotlight site: on a parcel under the imagery, or a point under it off farmland. */
function spotlightChange(
  pool: ReturnType<typeof spotlightPool>,
  inner: BBox,
  onFarmland: boolean,
  toChief: boolean,
  rng: Rng,
): { place: VillagePlace; geometry: Polygon | null } | null {
  if (onFarmland) {
    const { place, parcel } = rng.pick(toChief && pool.chief.length ? pool.chief : pool.parcels);
    return { place, geometry: changeAt(place, parcelCentre(parcel, rng), rng) };
  }
  const x = rng.range(inner[0], inner[2]);
  const y = rng.range(inner[1], inner[3]);
  const place = pool.villages.find((v) => containsPoint(v.geometry, x, y));
  return place ? { place, geometry: changeAt(place, [x, y], rng) } : null;
}

/**
 * The demo 图斑 and the permits generated to cover some of them. With `spotlight` (the demo
 * imagery's box), every fourth new polygon of a period lies on a parcel (or, off farmland, at a
 * point) whose centre is 300 m or more inside it, and the polygons reaching into it keep 30 m
 * apart; every fifth of those on farmland lies in `chiefVillage` (when it reaches under the
 * imagery), so the field chief's village is its county's busiest by a clear margin.
 * @example const { polygons, permits } = changePolygons(places, rngFor(seed, 'polygons'), numbers, frameBox(frame), IMAGERY_VILLAGE)
 */
export function changePolygons(
  places: VillagePlace[],
  rng: Rng,
  numbers: DocumentNumbers,
  spotlight?: BBox,
  chiefVillage?: string,
): { polygons: DemoPolygon[]; permits: DemoLayerFeature[] } {
  // Parcels drawn uniformly over the region: villages with more farmland get more polygons.
  const parcelOwners = places.flatMap((p) => p.parcels.map(() => p));
  const inner = spotlight && inset(spotlight, SPOTLIGHT_MARGIN);
  const pool = inner && spotlightPool(places, inner, chiefVillage);
  const lit = inner && pool && pool.parcels.length > 0 ? { inner, pool } : null;
  /** Padded boxes of the polygons reaching under the imagery. */
  const underImagery: BBox[] = [];
  const drafts: Draft[] = [];
  const permits: DemoLayerFeature[] = [];
  for (const period of ['2026-10', '2026-11'] as MonitoringPeriod[]) {
    const earlier = drafts.filter((d) => d.period === '2026-10' && d.scenario === 'unapproved');
    for (let i = 0; i < REPEATS && period === '2026-11'; i++) {
      const first = earlier[Math.floor(rng.next() * earlier.length)];
      if (drafts.some((d) => d.repeatOf === first)) continue;
      // The same building seen again: the outline moves by a few decimetres between images.
      const jitter = (p: number[]): number[] => [
        roundCoord(p[0] + rng.range(-3e-6, 3e-6)),
        roundCoord(p[1] + rng.range(-3e-6, 3e-6)),
      ];
      const ring = first.geometry.coordinates[0].slice(0, -1).map(jitter);
      const geometry = keepInside(
        { type: 'Polygon', coordinates: [[...ring, ring[0]]] },
        first.place.geometry,
      );
      if (!geometry) continue;
      drafts.push({
        period,
        place: first.place,
        geometry,
        source: 'detection',
        scenario: 'repeat',
        repeatOf: first,
        properties: {},
      });
    }
    let made = 0;
    for (
      let tries = 0;
      made < NEW_PER_PERIOD[period] && tries < NEW_PER_PERIOD[period] * 20;
      tries++
    ) {
      const onFarmland = rng.chance(0.88);
      let place: VillagePlace;
      let geometry: Polygon | null;
      if (lit && made % SPOTLIGHT_EVERY === SPOTLIGHT_EVERY - 1) {
        const spot = Math.floor(made / SPOTLIGHT_EVERY);
        const site = spotlightChange(
          lit.pool,
          lit.inner,
          onFarmland,
          spot % CHIEF_EVERY === 0,
          rng,
        );
        if (!site) continue;
        ({ place, geometry } = site);
      } else {
        place = rng.pick(parcelOwners);
        geometry = placeChange(place, onFarmland, rng);
      }
      if (!geometry) continue;
      const box = bboxOf(geometry);
      const seen = spotlight !== undefined && bboxIntersects(box, spotlight);
      if (seen && underImagery.some((b) => bboxIntersects(b, box))) continue;
      const covered = onFarmland ? pickWeighted(rng, COVERED) : null;
      let scenario: Scenario = onFarmland ? 'unapproved' : 'off-farmland';
      if (covered) {
        const cover = keepInside(boxAround(geometry, rng.range(5, 40)), place.geometry);
        if (!cover) continue;
        permits.push(
          permitFeature(covered, cover, place, rng, numbers, '2025-01-01', '2026-09-30'),
        );
        scenario = covered === 'approval' ? 'approved' : covered;
      }
      if (seen) underImagery.push(pad(box, SPOTLIGHT_CLEARANCE));
      drafts.push({
        period,
        place,
        geometry,
        source: pickWeighted(rng, SOURCES) ?? 'detection',
        scenario,
        properties: {},
      });
      made++;
    }
  }
  return { polygons: assignCodes(drafts, rng), permits };
}

/** Codes: county (6) + period YYYYMM (6) + sequence (4) within county and period, by village then draft order. */
function assignCodes(drafts: Draft[], rng: Rng): DemoPolygon[] {
  const order = drafts.map((d, i) => ({ d, i }));
  order.sort(
    (a, b) =>
      a.d.period.localeCompare(b.d.period) ||
      a.d.place.code.localeCompare(b.d.place.code) ||
      a.i - b.i,
  );
  const seq = new Map<string, number>();
  const out: DemoPolygon[] = [];
  for (const { d } of order) {
    const key = `${d.place.countyCode}${d.period.replace('-', '')}`;
    const n = (seq.get(key) ?? 0) + 1;
    seq.set(key, n);
    d.code = `${key}${String(n).padStart(4, '0')}`;
    const { from, to } = periodDates(d.period);
    out.push({
      code: d.code,
      source: d.source,
      period: d.period,
      jurisdictionCode: d.place.code,
      geometry: d.geometry,
      properties: {
        foundOn: randomDate(rng, from, to),
        changeType:
          d.scenario === 'repeat'
            ? (d.repeatOf?.properties.changeType ?? '新建建筑')
            : rng.pick(CHANGE_TYPES),
        scenario: d.scenario,
        repeatOf: d.repeatOf?.code ?? null,
        ...sourceProperties(d.source, d.period, d.place, rng),
      },
    });
    d.properties = out[out.length - 1].properties;
  }
  return out;
}
