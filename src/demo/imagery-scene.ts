/**
 * A synthetic bi-temporal 4-band scene (blue, green, red, NIR; reflectance ×10000) over one
 * demo township, 2026-10-18 → 2026-11-17, ~10 m pixels on a lon/lat grid. The fields are the
 * demo farmland parcels themselves, so the overlay of what a detector finds lands on the
 * reference layers. Planted changes (farmland → building, road, bare construction soil) are
 * the truth; seasonal changes of whole fields (maize harvest: crop → stubble; winter wheat
 * emerging: stubble → green) are distractors a good detector must not flag.
 *
 * Spectra are typical Sentinel-2 surface reflectances for the Loess Plateau in autumn
 * (dense crop NDVI ≈ 0.8, stubble ≈ 0.2, bright loess fill ≈ 0.1, blue steel roofs — the
 * 彩钢瓦 of new illegal sheds — high blue); texture is field-level brightness, ploughing
 * stripes along the field pattern, per-pixel speckle and sensor noise, and a small
 * atmospheric gain/offset between the dates.
 */
import type { BBox, Feature, FeatureCollection, Polygon } from '../geo/types.ts';
import { bboxIntersects, bboxOf } from '../geo/bbox.ts';
import { jinchengAdmin } from './admin-data.ts';
import { buildJurisdictions } from './jurisdictions.ts';
import { DEMO_SEED, villagePlaces } from './region.ts';
import { metresPerDegree, ringCentroid, rotatedRect, roundRing } from './planar.ts';
import { type Rng, rngFor } from './random.ts';
import { type PixelFrame, fillPolygon, strokeLine, toPixel } from './rasterise.ts';
import type { VillagePlace } from './reference-layers.ts';
import { blob } from './shapes.ts';
import { latticeField, noiseField } from './terrain.ts';

/** 大箕镇 (泽州县): the demo township with the most farmland (see imagery.test.ts). */
export const IMAGERY_TOWNSHIP = '140525111';
export const IMAGERY_SIZE = 1024;
/** Pixel size in degrees: 0.00011° lon × 0.00009° lat ≈ 9.9 m × 10.0 m at 35.6° N. */
export const PIXEL_DEGREES: [number, number] = [0.00011, 0.00009];
export const IMAGERY_DATES = { before: '2026-10-18', after: '2026-11-17' } as const;
export const BAND_NAMES = ['blue', 'green', 'red', 'nir'] as const;

type Spectrum = readonly [number, number, number, number];
const SPECTRA = {
  crop: [350, 650, 400, 3800],
  greenUp: [450, 720, 620, 2700],
  stubble: [700, 950, 1150, 1700],
  fallow: [620, 880, 1050, 2200],
  scrub: [300, 550, 450, 2800],
  concrete: [1700, 1800, 1900, 2100],
  roofGrey: [1900, 2000, 2100, 2300],
  roofBlue: [2300, 1800, 1300, 1700],
  roofRed: [1000, 1100, 2100, 2200],
  loess: [1500, 1950, 2450, 2850],
} satisfies Record<string, Spectrum>;
type FieldState = 'crop' | 'greenUp' | 'stubble' | 'fallow';

export type ChangeType = 'building' | 'road' | 'bare_soil';
export type DistractorKind = 'harvest' | 'green_up';

export interface ImageryScene {
  townshipCode: string;
  frame: PixelFrame;
  /** [minLon, minLat, maxLon, maxLat] of the pixel edges. */
  bbox: BBox;
  dates: typeof IMAGERY_DATES;
  /** One array per band (blue, green, red, NIR), row-major, reflectance ×10000. */
  before: Uint16Array[];
  after: Uint16Array[];
  truth: FeatureCollection<Polygon, { id: number; changeType: ChangeType; pixels: number }>;
  distractors: FeatureCollection<Polygon, { id: number; kind: DistractorKind; pixels: number }>;
}

interface Field {
  geometry: Polygon;
  before: FieldState;
  after: FieldState;
  brightness: number;
  /** Unit vector of the ploughing direction in pixel space. */
  dir: [number, number];
}

const TRUTH_COUNT = 40;

/**
 * The scene over `townshipCode`, from the village places (with their farmland) around it.
 * Deterministic for `seed`.
 * @example synthesiseImagery(places, 'gengbao-jincheng-demo-v1', '140525109').truth.features.length // 40
 */
export function synthesiseImagery(
  places: VillagePlace[],
  seed: string,
  townshipCode: string,
): ImageryScene {
  const rng = rngFor(seed, 'imagery', townshipCode);
  const frame = frameOver(places.filter((p) => p.code.startsWith(townshipCode)));
  const { width, height } = frame;
  const bbox: BBox = [
    frame.originX,
    frame.originY - height * frame.pixelHeight,
    frame.originX + width * frame.pixelWidth,
    frame.originY,
  ];
  const fields = fieldsIn(places, bbox, frame, rng);
  const SETTLEMENT = fields.length + 1;
  const ROAD = fields.length + 2;
  const surface = new Int32Array(width * height);
  fields.forEach((f, i) => fillPolygon(surface, frame, f.geometry.coordinates, i + 1));
  paintSettlements(surface, frame, fields, rng, SETTLEMENT);
  paintRoads(surface, frame, bbox, rng, ROAD);

  const change = new Int32Array(width * height).fill(-1);
  const truth = plantChanges(fields, surface, change, frame, bbox, rng);
  const distractors = seasonalDistractors(fields, surface, change, frame);

  const before = BAND_NAMES.map(() => new Uint16Array(width * height));
  const after = BAND_NAMES.map(() => new Uint16Array(width * height));
  const noiseRng = rngFor(seed, 'imagery-noise', townshipCode);
  const roofTypes: Spectrum[] = [
    SPECTRA.roofGrey,
    SPECTRA.roofBlue,
    SPECTRA.roofRed,
    SPECTRA.concrete,
    SPECTRA.scrub,
  ];
  const changeSpectra = truth.features.map((t) =>
    t.properties.changeType === 'road'
      ? SPECTRA.concrete
      : t.properties.changeType === 'bare_soil'
        ? SPECTRA.loess
        : rng.pick([SPECTRA.roofBlue, SPECTRA.roofGrey, SPECTRA.roofRed]),
  );
  const roofs = latticeField(`${seed}/roofs`);
  const scrubNoise = noiseField(`${seed}/scrub`);
  const grassNoise = noiseField(`${seed}/grass`);
  const relief = reliefOf(seed);
  for (let r = 0; r < height; r++)
    for (let c = 0; c < width; c++) {
      const i = r * width + c;
      const s = surface[i];
      let sb: Spectrum;
      let sa: Spectrum;
      let gain = 1;
      if (s >= 1 && s <= fields.length) {
        const f = fields[s - 1];
        sb = SPECTRA[f.before];
        sa = SPECTRA[f.after];
        // Ploughing / sowing rows every ~3 pixels along the field pattern.
        gain =
          f.brightness * (1 + 0.04 * Math.sin((2 * Math.PI * (c * f.dir[0] + r * f.dir[1])) / 3));
      } else if (s === SETTLEMENT) {
        // Roofs, yards and trees in 2×2-pixel blocks (~20 m courtyards).
        sb = sa = roofTypes[Math.floor(roofs(c >> 1, r >> 1) * roofTypes.length)];
      } else if (s === ROAD) {
        sb = sa = SPECTRA.concrete;
      } else {
        // Hillside scrub grading into dry grass on a ~300 m pattern, lit from the north-west
        // like a hillshade of a smooth relief, so slopes read as hills.
        const lon = frame.originX + (c + 0.5) * frame.pixelWidth;
        const lat = frame.originY - (r + 0.5) * frame.pixelHeight;
        const t = 0.7 * scrubNoise(lon * 15, lat * 15) + 0.3 * grassNoise(lon * 45, lat * 45);
        const w = Math.min(1, Math.max(0, (t - 0.3) * 2.5));
        sb = sa = [0, 1, 2, 3].map(
          (b) => SPECTRA.scrub[b] * (1 - w) + SPECTRA.fallow[b] * w,
        ) as unknown as Spectrum;
        gain = (0.92 + 0.16 * t) * hillshade(relief, lon, lat, frame.pixelWidth);
      }
      if (change[i] >= 0) sa = changeSpectra[change[i]];
      const speckle = 1 + 0.03 * noiseRng.normal();
      const ga = change[i] >= 0 ? speckle : gain * speckle;
      for (let b = 0; b < 4; b++) {
        before[b][i] = clamp(sb[b] * gain * speckle + sensorNoise(noiseRng));
        // A slightly hazier November: 2 % gain and +15 offset, as between two real acquisitions.
        after[b][i] = clamp((sa[b] * ga + sensorNoise(noiseRng)) * 1.02 + 15);
      }
    }
  return { townshipCode, frame, bbox, dates: IMAGERY_DATES, before, after, truth, distractors };
}

/** Relief height in [0, 1): two octaves of value noise, ~6 km and ~2 km hills. */
function reliefOf(seed: string): (lon: number, lat: number) => number {
  const broad = noiseField(`${seed}/relief`);
  const fine = noiseField(`${seed}/relief2`);
  return (lon, lat) => 0.75 * broad(lon * 12, lat * 12) + 0.25 * fine(lon * 35, lat * 35);
}

/** Brightness factor in [0.75, 1.25]: the relief's slope towards a north-west sun (a cheap hillshade). */
function hillshade(
  relief: (lon: number, lat: number) => number,
  lon: number,
  lat: number,
  step: number,
): number {
  const d = 3 * step;
  const slope = relief(lon - d, lat + d) - relief(lon + d, lat - d);
  return Math.min(1.25, Math.max(0.75, 1 + 12 * slope));
}

/** Sensor noise, σ = 25 (reflectance ×10000): triangular (sum of two uniforms), cheaper than Gaussian. */
function sensorNoise(rng: Rng): number {
  return (rng.next() + rng.next() - 1) * 61.2;
}

function clamp(v: number): number {
  return v < 1 ? 1 : v > 10000 ? 10000 : Math.round(v);
}

/** A 1024² frame over the township's farmland: centred on the parcel with the most parcels within the frame. */
function frameOver(township: VillagePlace[]): PixelFrame {
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
  // Snap the origin to whole pixels so the grid is reproducible to the last digit.
  const originX = Math.round((best[0] - hx) / pw) * pw;
  const originY = Math.round((best[1] + hy) / ph) * ph;
  return {
    width: IMAGERY_SIZE,
    height: IMAGERY_SIZE,
    originX: Number(originX.toFixed(8)),
    originY: Number(originY.toFixed(8)),
    pixelWidth: pw,
    pixelHeight: ph,
  };
}

function fieldsIn(places: VillagePlace[], bbox: BBox, frame: PixelFrame, rng: Rng): Field[] {
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
function paintSettlements(
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
function paintRoads(
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
function plantChanges(
  fields: Field[],
  surface: Int32Array,
  change: Int32Array,
  frame: PixelFrame,
  bbox: BBox,
  rng: Rng,
): ImageryScene['truth'] {
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
function seasonalDistractors(
  fields: Field[],
  surface: Int32Array,
  change: Int32Array,
  frame: PixelFrame,
): ImageryScene['distractors'] {
  const pixels = new Int32Array(fields.length + 1);
  const touched = new Uint8Array(fields.length + 1);
  for (let i = 0; i < surface.length; i++) {
    const s = surface[i];
    if (s < 1 || s > fields.length) continue;
    pixels[s]++;
    if (change[i] >= 0) touched[s] = 1;
  }
  const features: ImageryScene['distractors']['features'] = [];
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

/**
 * The demo scene over IMAGERY_TOWNSHIP, rebuilding only its county's villages and farmland
 * (identical to the full region's, see `villagePlaces`).
 */
export function demoImageryScene(
  seed: string = DEMO_SEED,
  townshipCode: string = IMAGERY_TOWNSHIP,
): ImageryScene {
  const jurisdictions = buildJurisdictions(jinchengAdmin, seed, [townshipCode.slice(0, 6)]);
  const places = villagePlaces(jurisdictions, seed).map((v) => v.place);
  return synthesiseImagery(places, seed, townshipCode);
}
