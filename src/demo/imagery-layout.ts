/**
 * Where things are in the synthetic imagery scene (see `imagery-scene.ts`): the frame, the
 * fields with their season, hamlets and roads burnt into a label raster, the planted
 * construction changes (truth) and the seasonal distractors.
 */
import { bboxIntersects, bboxOf } from '../geo/bbox.ts';
import type { BBox, Feature, FeatureCollection, Polygon } from '../geo/types.ts';
import { metresPerDegree, ringCentroid, rotatedRect, roundRing } from './planar.ts';
import type { Rng } from './random.ts';
import { type PixelFrame, fillPolygon, strokeLine, toPixel } from './rasterise.ts';
import type { VillagePlace } from './reference-layers.ts';
import { blob } from './shapes.ts';

export const IMAGERY_SIZE = 1024;
/** Pixel size in degrees: 0.00011° lon × 0.00009° lat ≈ 9.9 m × 10.0 m at 35.6° N. */
export const PIXEL_DEGREES: [number, number] = [0.00011, 0.00009];
const TRUTH_COUNT = 40;

export type FieldState = 'crop' | 'greenUp' | 'stubble' | 'fallow';
export type ChangeType = 'building' | 'road' | 'bare_soil';
export type DistractorKind = 'harvest' | 'green_up';
export type TruthFeatures = FeatureCollection<
  Polygon,
  { id: number; changeType: ChangeType; pixels: number }
>;
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

/** Planted changes on fields that keep their season state, non-overlapping, inside the frame. */
export function plantChanges(
  fields: Field[],
  surface: Int32Array,
  change: Int32Array,
  frame: PixelFrame,
  bbox: BBox,
  rng: Rng,
): TruthFeatures {
  const features: Feature<Polygon, { id: number; changeType: ChangeType; pixels: number }>[] = [];
  const boxes: BBox[] = [];
  const m = metresPerDegree((bbox[1] + bbox[3]) / 2);
  const margin: BBox = [
    bbox[0] + 300 / m.lon,
    bbox[1] + 300 / m.lat,
    bbox[2] - 300 / m.lon,
    bbox[3] - 300 / m.lat,
  ];
  const stable = fields.filter((f) => f.before === f.after);
  for (let tries = 0; features.length < TRUTH_COUNT && tries < TRUTH_COUNT * 50; tries++) {
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
    const id = features.length;
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
  return { type: 'FeatureCollection', features };
}

/**
 * Fields whose season changes (harvest, green-up), that no planted change touches and that
 * no hamlet or road covers (≥ 90 % of the polygon's pixels show the field).
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
