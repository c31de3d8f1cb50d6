/**
 * A synthetic bi-temporal 4-band scene (blue, green, red, NIR; reflectance ×10000) over one
 * demo township, 2026-10-18 → 2026-11-17, ~10 m pixels on a lon/lat grid. The fields are the
 * demo farmland parcels themselves, so the overlay of what a detector finds lands on the
 * reference layers. The demo 图斑 under the frame are on the ground too: each 2026-11 图斑 that
 * repeats none of 2026-10 appears between the dates (farmland → building, road, bare
 * construction soil, by its `changeType`) and is truth; a 2026-10 图斑, and a 2026-11 repeat of
 * one, was built before the first image and stands on both. A few more changes, planted where
 * no 图斑 is, are truth too (what the next detection run should find); seasonal changes of
 * whole fields (maize harvest: crop → stubble; winter wheat emerging: stubble → green) are
 * distractors a good detector must not flag.
 *
 * Spectra are typical Sentinel-2 surface reflectances for the Loess Plateau in autumn
 * (dense crop NDVI ≈ 0.8, stubble ≈ 0.2, bright loess fill ≈ 0.1, blue steel roofs — the
 * 彩钢瓦 of new illegal sheds — high blue); texture is field-level brightness, ploughing
 * stripes along the field pattern, per-pixel speckle and sensor noise, and a small
 * atmospheric gain/offset between the dates.
 */
import { GengbaoError } from '../errors.ts';
import type { BBox } from '../geo/types.ts';
import { jinchengAdmin } from './admin-data.ts';
import {
  type ChangeType,
  type DistractorFeatures,
  IMAGERY_TOWNSHIP,
  IMAGERY_VILLAGE,
  type TruthFeatures,
  demoImageryFrame,
  fieldsIn,
  frameBox,
  paintRoads,
  paintSettlements,
  placeDemoPolygons,
  plantChanges,
  seasonalDistractors,
} from './imagery-layout.ts';
import { buildJurisdictions } from './jurisdictions.ts';
import { type Rng, rngFor } from './random.ts';
import { type PixelFrame, fillPolygon } from './rasterise.ts';
import type { VillagePlace } from './reference-layers.ts';
import { DEMO_SEED, buildDemoRegion, villagePlaces } from './region.ts';
import { latticeField, noiseField } from './terrain.ts';
import type { DemoPolygon } from './types.ts';

export {
  IMAGERY_SIZE,
  IMAGERY_TOWNSHIP,
  IMAGERY_VILLAGE,
  PIXEL_DEGREES,
  changeTypeOf,
  isNewOnPair,
} from './imagery-layout.ts';
export type { ChangeType, DistractorKind } from './imagery-layout.ts';

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

export interface ImageryScene {
  townshipCode: string;
  frame: PixelFrame;
  /** [minLon, minLat, maxLon, maxLat] of the pixel edges. */
  bbox: BBox;
  dates: typeof IMAGERY_DATES;
  /** One array per band (blue, green, red, NIR), row-major, reflectance ×10000. */
  before: Uint16Array[];
  after: Uint16Array[];
  /** What changes between the dates: the new demo 图斑 under the frame (with `code`), then the planted ones. */
  truth: TruthFeatures;
  distractors: DistractorFeatures;
  /** Codes of the demo 图斑 under the frame that stand on both dates (2026-10 and repeats of it). */
  standing: string[];
}

/**
 * The scene over `townshipCode`, from the village places (with their farmland) around it,
 * holding all of `coverVillage` when it is among them, with the demo 图斑 `polygons` that reach
 * into it on the ground (see the module comment).
 * Deterministic for `seed` and `polygons`.
 * @example synthesiseImagery(places, 'gengbao-jincheng-demo-v1', '140525111', '140525111202', region.polygons).truth
 */
export function synthesiseImagery(
  places: VillagePlace[],
  seed: string,
  townshipCode: string,
  coverVillage: string | null = IMAGERY_VILLAGE,
  polygons: readonly DemoPolygon[] = [],
): ImageryScene {
  const rng = rngFor(seed, 'imagery', townshipCode);
  const frame = demoImageryFrame(places, townshipCode, coverVillage);
  if (!frame)
    throw new GengbaoError('bad_input', `no farmland of township ${townshipCode} to image`, {
      field: 'townshipCode',
    });
  const { width, height } = frame;
  const bbox = frameBox(frame);
  const fields = fieldsIn(places, bbox, frame, rng);
  const SETTLEMENT = fields.length + 1;
  const ROAD = fields.length + 2;
  const surface = new Int32Array(width * height);
  fields.forEach((f, i) => fillPolygon(surface, frame, f.geometry.coordinates, i + 1));
  paintSettlements(surface, frame, fields, rng, SETTLEMENT);
  paintRoads(surface, frame, bbox, rng, ROAD);

  const change = new Int32Array(width * height).fill(-1);
  const standing = new Int32Array(width * height).fill(-1);
  const shown = placeDemoPolygons(polygons, surface, fields.length, change, standing, frame, bbox);
  const planted = plantChanges(
    fields,
    surface,
    change,
    frame,
    bbox,
    rng,
    shown.taken,
    shown.truth.length,
  );
  const truth: TruthFeatures = {
    type: 'FeatureCollection',
    features: [...shown.truth, ...planted],
  };
  const occupied = change.map((v, i) => (v >= 0 || standing[i] >= 0 ? 0 : -1));
  const distractors = seasonalDistractors(fields, surface, occupied, frame);

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
  // A 图斑 building is a steel or grey roof (彩钢瓦 sheds, concrete slabs): bright enough to read
  // as construction on any ground; the planted ones may also be red-tiled.
  const look = (type: ChangeType, roofs: Spectrum[]): Spectrum =>
    type === 'road' ? SPECTRA.concrete : type === 'bare_soil' ? SPECTRA.loess : rng.pick(roofs);
  const tubanRoofs = [SPECTRA.roofBlue, SPECTRA.roofGrey];
  const changeSpectra = truth.features.map((t) =>
    look(
      t.properties.changeType,
      t.properties.code ? tubanRoofs : [...tubanRoofs, SPECTRA.roofRed],
    ),
  );
  // A repeat looks like the 2026-10 图斑 it repeats.
  const byRoot = new Map<string, Spectrum>();
  const standingSpectra = shown.standing.map((p) => {
    const known = byRoot.get(p.root);
    if (known) return known;
    const s = look(p.changeType, tubanRoofs);
    byRoot.set(p.root, s);
    return s;
  });
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
      if (standing[i] >= 0) {
        sb = sa = standingSpectra[standing[i]];
        gain = 1;
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
  return {
    townshipCode,
    frame,
    bbox,
    dates: IMAGERY_DATES,
    before,
    after,
    truth,
    distractors,
    standing: shown.standing.map((p) => p.code),
  };
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

/**
 * The demo scene over IMAGERY_TOWNSHIP, rebuilding only its county's villages and farmland
 * (identical to the full region's, see `villagePlaces`), with the demo 图斑 `polygons` (the
 * region's; built here when not given, which takes the whole region, ~5 s).
 */
export function demoImageryScene(
  seed: string = DEMO_SEED,
  townshipCode: string = IMAGERY_TOWNSHIP,
  polygons: readonly DemoPolygon[] = buildDemoRegion({ seed }).polygons,
): ImageryScene {
  const jurisdictions = buildJurisdictions(jinchengAdmin, seed, [townshipCode.slice(0, 6)]);
  const places = villagePlaces(jurisdictions, seed).map((v) => v.place);
  return synthesiseImagery(places, seed, townshipCode, IMAGERY_VILLAGE, polygons);
}
