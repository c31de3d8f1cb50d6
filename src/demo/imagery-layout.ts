/**
 * Where things are in the synthetic imagery scene (see `imagery-scene.ts`): the frame, the
 * fields with their season, hamlets and roads burnt into a label raster, the demo 图斑 under
 * the frame (new ones as truth, earlier ones standing on both dates), a few more construction
 * changes planted beside them (truth) and the seasonal distractors.
 */
import { bboxIntersects, bboxOf } from '../geo/bbox.ts';
import type { BBox, FeatureCollection, Polygon } from '../geo/types.ts';
import { metresPerDegree, ringCentroid, rotatedRect, roundRing } from './planar.ts';
import type { Rng } from './random.ts';
import { type PixelFrame, fillPolygon, shapePixels, strokeLine, toPixel } from './rasterise.ts';
import type { VillagePlace } from './reference-layers.ts';
import { blob } from './shapes.ts';
import type { DemoPolygon } from './types.ts';

export const IMAGERY_SIZE = 1024;
/** Pixel size in degrees: 0.00011° lon × 0.00009° lat ≈ 9.9 m × 10.0 m at 35.6° N. */
export const PIXEL_DEGREES: [number, number] = [0.00011, 0.00009];
/**
 * Changes the scene plants beside the demo 图斑 it shows: the construction the next detection
 * run finds (no 图斑 yet).
 */
export const PLANTED_COUNT = 15;

/** 大箕镇 (泽州县): the demo township with the most farmland parcels (asserted in region.test.ts). */
export const IMAGERY_TOWNSHIP = '140525111';
/**
 * The village the frame must hold: the field chief's (`zz.village`, 河底村委会; region.test.ts
 * checks the account still works there, wholly under the imagery, with demo 图斑 to show).
 */
export const IMAGERY_VILLAGE = '140525111202';

export type FieldState = 'crop' | 'greenUp' | 'stubble' | 'fallow';
export type ChangeType = 'building' | 'road' | 'bare_soil';
export type DistractorKind = 'harvest' | 'green_up';
export interface TruthProperties {
  id: number;
  changeType: ChangeType;
  pixels: number;
  /** The demo 图斑 this change is (absent for a change the scene planted on its own). */
  code?: string;
}
export type TruthFeatures = FeatureCollection<Polygon, TruthProperties>;
export type DistractorFeatures = FeatureCollection<
  Polygon,
  { id: number; kind: DistractorKind; pixels: number }
>;

/** A farmland parcel as it looks on the two dates. */
export interface Field {
  geometry: Polygon;
  before: FieldState;
  after: FieldState;
  brightness: number;
  /** Unit vector of the ploughing direction in pixel space. */
  dir: [number, number];
}

/**
 * A 1024² frame over the township's farmland: centred on the parcel with the most parcels
 * within the frame, then shifted as little as it takes to hold all of `cover` (the field
 * chief's village: the demo's village account works under the imagery).
 */
export function frameOver(township: VillagePlace[], cover?: BBox): PixelFrame {
  const [pw, ph] = PIXEL_DEGREES;
  const hx = (IMAGERY_SIZE / 2) * pw;
  const hy = (IMAGERY_SIZE / 2) * ph;
  const centres = township.flatMap((p) =>
    p.parcels.map((parcel) => ringCentroid(parcel.geometry.coordinates[0])),
  );
  let best = centres[0];
  let bestCount = -1;
  for (let k = 0; k < centres.length; k += 4) {
    const [x, y] = centres[k];
    let n = 0;
    for (const [u, v] of centres) if (Math.abs(u - x) < hx && Math.abs(v - y) < hy) n++;
    if (n > bestCount) {
      bestCount = n;
      best = centres[k];
    }
  }
  let [cx, cy] = best;
  if (cover) {
    // Keep the cover inside by a margin of 8 pixels; a cover wider than the frame is centred.
    const mx = hx - 8 * pw;
    const my = hy - 8 * ph;
    cx = shiftToHold(cx, cover[0], cover[2], mx);
    cy = shiftToHold(cy, cover[1], cover[3], my);
  }
  // Snap the origin to whole pixels so the grid is reproducible to the last digit.
  const originX = Math.round((cx - hx) / pw) * pw;
  const originY = Math.round((cy + hy) / ph) * ph;
  return {
    width: IMAGERY_SIZE,
    height: IMAGERY_SIZE,
    originX: Number(originX.toFixed(8)),
    originY: Number(originY.toFixed(8)),
    pixelWidth: pw,
    pixelHeight: ph,
  };
}

/**
 * The demo imagery's frame: `frameOver` the township's places holding the cover village's
 * box. Both the region (which puts a share of its 图斑 under it) and the scene call this, so
 * the two cannot disagree. Null when the township is not among `places`.
 */
export function demoImageryFrame(
  places: VillagePlace[],
  townshipCode: string = IMAGERY_TOWNSHIP,
  coverVillage: string | null = IMAGERY_VILLAGE,
): PixelFrame | null {
  const township = places.filter((p) => p.code.startsWith(townshipCode));
  if (!township.some((p) => p.parcels.length > 0)) return null;
  const cover = places.find((p) => p.code === coverVillage);
  return frameOver(township, cover ? bboxOf(cover.geometry) : undefined);
}

/** [minLon, minLat, maxLon, maxLat] of a frame's pixel edges. */
export function frameBox(frame: PixelFrame): BBox {
  return [
    frame.originX,
    frame.originY - frame.height * frame.pixelHeight,
    frame.originX + frame.width * frame.pixelWidth,
    frame.originY,
  ];
}

/** The centre nearest `c` whose half-width `h` holds [lo, hi] (its midpoint when it cannot). */
function shiftToHold(c: number, lo: number, hi: number, h: number): number {
  if (hi - lo > 2 * h) return (lo + hi) / 2;
  return Math.min(Math.max(c, hi - h), lo + h);
}

export function fieldsIn(places: VillagePlace[], bbox: BBox, frame: PixelFrame, rng: Rng): Field[] {
  const fields: Field[] = [];
  for (const place of places)
    for (const parcel of place.parcels) {
      if (!bboxIntersects(bboxOf(parcel.geometry), bbox)) continue;
      const ring = parcel.geometry.coordinates[0];
      const [x0, y0] = toPixel(frame, ring[0][0], ring[0][1]);
      const [x1, y1] = toPixel(frame, ring[1][0], ring[1][1]);
      const len = Math.hypot(x1 - x0, y1 - y0) || 1;
      const r = rng.next();
      const before: FieldState =
        r < 0.45 ? 'crop' : r < 0.8 ? 'stubble' : r < 0.9 ? 'fallow' : 'greenUp';
      const after: FieldState =
        before === 'crop' && rng.chance(0.35)
          ? 'stubble'
          : before === 'stubble' && rng.chance(0.3)
            ? 'greenUp'
            : before;
      fields.push({
        geometry: parcel.geometry,
        before,
        after,
        brightness: Math.min(1.15, Math.max(0.85, 1 + 0.06 * rng.normal())),
        dir: [(x1 - x0) / len, (y1 - y0) / len],
      });
    }
  return fields;
}

/** A dozen hamlets beside their fields: blobs of mixed roofs, lanes and trees, 160–500 m across, the same on both dates. */
export function paintSettlements(
  surface: Int32Array,
  frame: PixelFrame,
  fields: Field[],
  rng: Rng,
  label: number,
): void {
  for (let k = 0; k < 12 && fields.length > 0; k++) {
    const [x, y] = ringCentroid(rng.pick(fields).geometry.coordinates[0]);
    const m = metresPerDegree(y);
    const a = rng.range(0, 2 * Math.PI);
    const d = rng.range(150, 350);
    fillPolygon(
      surface,
      frame,
      blob(
        x + (d * Math.cos(a)) / m.lon,
        y + (d * Math.sin(a)) / m.lat,
        rng.range(80, 250),
        rng,
        10,
      ).coordinates,
      label,
    );
  }
}

/** Four concrete roads (水泥路), 10–20 m wide, crossing the scene with two bends each. */
export function paintRoads(
  surface: Int32Array,
  frame: PixelFrame,
  bbox: BBox,
  rng: Rng,
  label: number,
): void {
  const [x0, y0, x1, y1] = bbox;
  for (let k = 0; k < 4; k++) {
    const horizontal = k % 2 === 0;
    const line: number[][] = [];
    let base = 0.5;
    for (let s = 0; s <= 3; s++) {
      const t = s / 3;
      // Gentle bends: each vertex within ±10 % of the scene of the road's line.
      if (s === 0) base = rng.range(0.15, 0.85);
      const off = base + rng.range(-0.1, 0.1);
      line.push(
        horizontal
          ? [x0 + t * (x1 - x0), y0 + off * (y1 - y0)]
          : [x0 + off * (x1 - x0), y0 + t * (y1 - y0)],
      );
    }
    strokeLine(surface, frame, line, rng.range(0.5, 1), label);
  }
}

/**
 * The period whose 图斑 are new between the dates (2026-10-18 → 2026-11-17): a 2026-11 图斑
 * that repeats none of 2026-10. Earlier 图斑, and repeats of them, stand on both dates.
 */
export const NEW_PERIOD = '2026-11';

const CHANGE_OF: Record<string, ChangeType> = {
  新建建筑: 'building',
  道路: 'road',
  硬化地面: 'road',
  推填土: 'bare_soil',
  堆放物: 'bare_soil',
};

/** What a demo 图斑 looks like from above, by its `changeType` (a building when unknown). */
export function changeTypeOf(p: DemoPolygon): ChangeType {
  return CHANGE_OF[String(p.properties.changeType)] ?? 'building';
}

/** Whether a demo 图斑 appears between the dates (truth) rather than standing on both. */
export function isNewOnPair(p: DemoPolygon): boolean {
  return p.period === NEW_PERIOD && !p.properties.repeatOf;
}

/** A demo 图斑 standing on both dates: built (or filled) before the first image. */
export interface StandingPolygon {
  code: string;
  /** The 2026-10 图斑 it is (itself, or the one it repeats): both look the same. */
  root: string;
  changeType: ChangeType;
  pixels: number;
}

/**
 * Puts the demo 图斑 that reach into the frame on the label rasters: a new one (`isNewOnPair`)
 * into `change` as truth (ids from 0, with its code; hamlet or road under it cleared from
 * `surface`, since the ground was open before), every other into `standing` (labels index the
 * returned list). Returns them with the boxes they take, 30 m padded, for the planted changes
 * to keep clear of. `fieldCount`: surface labels 1..fieldCount are fields.
 */
export function placeDemoPolygons(
  polygons: readonly DemoPolygon[],
  surface: Int32Array,
  fieldCount: number,
  change: Int32Array,
  standing: Int32Array,
  frame: PixelFrame,
  bbox: BBox,
): { truth: TruthFeatures['features']; standing: StandingPolygon[]; taken: BBox[] } {
  const truth: TruthFeatures['features'] = [];
  const stood: StandingPolygon[] = [];
  const taken: BBox[] = [];
  for (const p of polygons) {
    const box = bboxOf(p.geometry);
    if (!bboxIntersects(box, bbox)) continue;
    const pixels = shapePixels(frame, p.geometry.coordinates);
    if (pixels.length === 0) continue;
    const m = metresPerDegree((box[1] + box[3]) / 2);
    const [px, py] = [30 / m.lon, 30 / m.lat];
    taken.push([box[0] - px, box[1] - py, box[2] + px, box[3] + py]);
    const changeType = changeTypeOf(p);
    if (isNewOnPair(p)) {
      const id = truth.length;
      for (const i of pixels) {
        change[i] = id;
        if (surface[i] > fieldCount) surface[i] = 0;
      }
      truth.push({
        type: 'Feature',
        geometry: p.geometry,
        properties: { id, changeType, pixels: pixels.length, code: p.code },
      });
    } else {
      for (const i of pixels) standing[i] = stood.length;
      const root = typeof p.properties.repeatOf === 'string' ? p.properties.repeatOf : p.code;
      stood.push({ code: p.code, root, changeType, pixels: pixels.length });
    }
  }
  return { truth, standing: stood, taken };
}

/**
 * `count` changes planted on fields that keep their season state, clear of each other and of
 * `taken` (the demo 图斑), inside the frame less 300 m; ids from `firstId`.
 */
export function plantChanges(
  fields: Field[],
  surface: Int32Array,
  change: Int32Array,
  frame: PixelFrame,
  bbox: BBox,
  rng: Rng,
  taken: BBox[] = [],
  firstId = 0,
  count = PLANTED_COUNT,
): TruthFeatures['features'] {
  const features: TruthFeatures['features'] = [];
  const boxes: BBox[] = [...taken];
  const m = metresPerDegree((bbox[1] + bbox[3]) / 2);
  const margin: BBox = [
    bbox[0] + 300 / m.lon,
    bbox[1] + 300 / m.lat,
    bbox[2] - 300 / m.lon,
    bbox[3] - 300 / m.lat,
  ];
  const stable = fields.filter((f) => f.before === f.after);
  for (let tries = 0; features.length < count && tries < count * 50 && stable.length; tries++) {
    const field = rng.pick(stable);
    const [cx, cy] = ringCentroid(field.geometry.coordinates[0]);
    if (cx < margin[0] || cx > margin[2] || cy < margin[1] || cy > margin[3]) continue;
    const angle = Math.atan2(-field.dir[1], field.dir[0]);
    const r = rng.next();
    const changeType: ChangeType = r < 0.45 ? 'building' : r < 0.65 ? 'road' : 'bare_soil';
    const geometry: Polygon =
      changeType === 'building'
        ? {
            type: 'Polygon',
            coordinates: [
              roundRing(rotatedRect(cx, cy, rng.range(25, 90), rng.range(20, 60), angle)),
            ],
          }
        : changeType === 'road'
          ? {
              type: 'Polygon',
              coordinates: [
                roundRing(
                  rotatedRect(
                    cx,
                    cy,
                    rng.range(150, 600),
                    rng.range(14, 22),
                    angle + (rng.chance(0.5) ? 0 : Math.PI / 2),
                  ),
                ),
              ],
            }
          : blob(cx, cy, rng.range(25, 120), rng, 9);
    const box = bboxOf(geometry);
    const pad = 30 / m.lon;
    const padded: BBox = [box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad];
    if (boxes.some((b) => bboxIntersects(b, padded))) continue;
    const id = firstId + features.length;
    const pixels = fillPolygon(change, frame, geometry.coordinates, id);
    // Keep only changes that are (mostly) on fields: farmland → construction is the story.
    let onFields = 0;
    const [c0, r1] = toPixel(frame, box[0], box[1]);
    const [c1, r0] = toPixel(frame, box[2], box[3]);
    for (let r = Math.max(0, Math.floor(r0)); r < Math.min(frame.height, Math.ceil(r1)); r++)
      for (let c = Math.max(0, Math.floor(c0)); c < Math.min(frame.width, Math.ceil(c1)); c++) {
        const i = r * frame.width + c;
        if (change[i] === id && surface[i] >= 1 && surface[i] <= fields.length) onFields++;
      }
    if (pixels < 4 || onFields < 0.8 * pixels) {
      fillPolygon(change, frame, geometry.coordinates, -1);
      continue;
    }
    boxes.push(padded);
    features.push({ type: 'Feature', geometry, properties: { id, changeType, pixels } });
  }
  return features;
}

/**
 * Fields whose season changes (harvest, green-up), that nothing in `change` touches (pass the
 * truth and the standing 图斑 together: labels ≥ 0) and that no hamlet or road covers (≥ 90 %
 * of the polygon's pixels show the field).
 */
export function seasonalDistractors(
  fields: Field[],
  surface: Int32Array,
  change: Int32Array,
  frame: PixelFrame,
): DistractorFeatures {
  const pixels = new Int32Array(fields.length + 1);
  const touched = new Uint8Array(fields.length + 1);
  for (let i = 0; i < surface.length; i++) {
    const s = surface[i];
    if (s < 1 || s > fields.length) continue;
    pixels[s]++;
    if (change[i] >= 0) touched[s] = 1;
  }
  const features: DistractorFeatures['features'] = [];
  const scratch = new Int32Array(surface.length);
  fields.forEach((f, k) => {
    if (f.before === f.after || touched[k + 1] || pixels[k + 1] < 4) return;
    if (pixels[k + 1] < 0.9 * fillPolygon(scratch, frame, f.geometry.coordinates, 1)) return;
    features.push({
      type: 'Feature',
      geometry: f.geometry,
      properties: {
        id: features.length,
        kind: f.after === 'stubble' ? 'harvest' : 'green_up',
        pixels: pixels[k + 1],
      },
    });
  });
  return { type: 'FeatureCollection', features };
}
