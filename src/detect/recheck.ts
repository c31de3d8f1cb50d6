/**
 * The re-check of a rectification, measured: the detector (detect.ts — the same sensor
 * profiles, radiometry, classifiers and masks as a detection run) on the 图斑's window only,
 * three times — now → violation (is the building gone?), before → now (does it look like
 * before again?), violation → now (was anything built since?) — and the shares of the 图斑
 * each marks, for the pure rule of recheck-rule.ts. With before / violation / now chips.
 */
import { containsPoint } from '../geo/contains.ts';
import { bboxOf } from '../geo/bbox.ts';
import type { Areal, BBox } from '../geo/types.ts';
import { ellipsoidalAreaM2 } from '../geo/area.ts';
import { fromLonLat, toLonLat } from '../raster/crs.ts';
import { pixelAreaM2, type PixelWindow, type RasterGrid } from '../raster/grid.ts';
import { encodeRgbPng, type Stretch } from '../raster/png.ts';
import type { RasterScene } from '../raster/scene-source.ts';
import { quantile } from '../raster/threshold.ts';
import { detectChanges } from './detect.ts';
import { BUILT } from './model.ts';
import type { DetectConfig, SensorId } from './profiles.ts';
import { profileOf, resolveBands } from './profiles.ts';
import {
  decideRecheck,
  DEFAULT_RECHECK_CONFIG,
  type RecheckConfig,
  type RecheckMeasures,
  type RecheckVerdict,
} from './recheck-rule.ts';

/** The three dates of a re-check, each with the additive offset it was registered with. */
export interface RecheckScenes {
  before: RasterScene;
  violation: RasterScene;
  now: RasterScene;
  offsets?: { before?: number; violation?: number; now?: number };
}

export interface RecheckOptions {
  sensor: SensorId;
  bands?: string[];
  /** Detector overrides (the classifier, the working resolution …), as for a detection run. */
  detect?: Partial<DetectConfig>;
  rule?: RecheckConfig;
  /** Render the before / violation / now chips (PNG) with the 图斑's outline. */
  chips?: boolean;
}

export interface RecheckChips {
  before: Buffer;
  violation: Buffer;
  now: Buffer;
}

export interface RecheckResult extends RecheckVerdict {
  measures: RecheckMeasures;
  chips?: RecheckChips;
}

/**
 * Margin around the 图斑's box, in pixels: at least 48 a side so that the detector's
 * calibration sample (a few parameters per band) sees mostly unchanged ground around the 图斑,
 * as it does on a whole scene; more for a large 图斑, capped so a window stays a few hundred
 * pixels a side.
 */
const MIN_MARGIN = 48;
const MAX_MARGIN = 160;

/** The 图斑's box on a scene's grid with the margin, or null when the scene misses it. */
export function windowOn(grid: RasterGrid, box: BBox): PixelWindow | null {
  const f = fromLonLat(grid.crs);
  const corners = [f(box[0], box[1]), f(box[2], box[1]), f(box[0], box[3]), f(box[2], box[3])];
  const cols = corners.map(([x]) => (x - grid.originX) / grid.pixelWidth);
  const rows = corners.map(([, y]) => (grid.originY - y) / grid.pixelHeight);
  const [c0, c1] = [Math.floor(Math.min(...cols)), Math.ceil(Math.max(...cols))];
  const [r0, r1] = [Math.floor(Math.min(...rows)), Math.ceil(Math.max(...rows))];
  if (c1 <= 0 || r1 <= 0 || c0 >= grid.width || r0 >= grid.height) return null;
  const margin = Math.min(MAX_MARGIN, Math.max(MIN_MARGIN, c1 - c0, r1 - r0));
  const x0 = Math.max(0, c0 - margin);
  const y0 = Math.max(0, r0 - margin);
  const x1 = Math.min(grid.width, c1 + margin);
  const y1 = Math.min(grid.height, r1 + margin);
  return { x0, y0, width: x1 - x0, height: y1 - y0 };
}

/**
 * A window of a scene as a scene of its own: the grid's origin moved, reads shifted. Its
 * location starts with "memory:" so the detector classifies it on this thread (a window is
 * small), and keeps the file's name after it, which the radiometry reads a product name from.
 */
export function windowScene(scene: RasterScene, w: PixelWindow): RasterScene {
  const g = scene.grid;
  return {
    location: `memory:${scene.location}`,
    grid: {
      ...g,
      width: w.width,
      height: w.height,
      originX: g.originX + w.x0 * g.pixelWidth,
      originY: g.originY - w.y0 * g.pixelHeight,
    },
    bandNames: scene.bandNames,
    blockHeight: Math.min(w.height, scene.blockHeight),
    blockWidth: w.width,
    nodata: scene.nodata,
    ...(scene.scaling ? { scaling: scene.scaling } : {}),
    readBands: (names, r) =>
      scene.readBands(names, {
        x0: w.x0 + r.x0,
        y0: w.y0 + r.y0,
        width: r.width,
        height: r.height,
      }),
    close: async () => {},
  };
}

/** 1 where a pixel's centre is inside the geometry (or inside `box`, when given), over `w` of `grid`. */
function maskOf(
  grid: RasterGrid,
  w: PixelWindow,
  inside: (lon: number, lat: number) => boolean,
): Uint8Array {
  const f = toLonLat(grid.crs);
  const out = new Uint8Array(w.width * w.height);
  for (let r = 0; r < w.height; r++)
    for (let c = 0; c < w.width; c++) {
      const [lon, lat] = f(
        grid.originX + (w.x0 + c + 0.5) * grid.pixelWidth,
        grid.originY - (w.y0 + r + 0.5) * grid.pixelHeight,
      );
      if (inside(lon, lat)) out[r * w.width + c] = 1;
    }
  return out;
}

/** The box grown by `m` metres on every side (degrees at its latitude). */
function grownBox(box: BBox, m: number): BBox {
  const dLat = m / 111_320;
  const dLon = m / (111_320 * Math.cos((((box[1] + box[3]) / 2) * Math.PI) / 180));
  return [box[0] - dLon, box[1] - dLat, box[2] + dLon, box[3] + dLat];
}

type Pass = { grid: RasterGrid; window: PixelWindow; mask: Uint8Array };

/** One detector pass on two windows; the final classes (0 none, 1 built, 2 bare) over its window. */
async function pass(
  first: RasterScene,
  second: RasterScene,
  offsets: { before?: number; after?: number },
  opts: RecheckOptions,
): Promise<Pass> {
  const r = await detectChanges(first, second, {
    sensor: opts.sensor,
    bands: opts.bands,
    // The rules unless told otherwise: the re-check rule (recheck-rule.ts) was calibrated on
    // their masks (npm run eval:recheck), not on the learned classifier's.
    config: { learned: null, ...opts.detect },
    addOffset: offsets,
    workers: 0,
  });
  return { grid: r.grid, window: r.window, mask: r.mask };
}

/** Share of the 图斑's pixels a pass marks built or bare, and how many 图斑 pixels it had. */
function shareIn(p: Pass, polygon: Areal): { share: number; pixels: number } {
  const inside = maskOf(p.grid, p.window, (x, y) => containsPoint(polygon, x, y));
  let n = 0;
  let hit = 0;
  for (let i = 0; i < inside.length; i++)
    if (inside[i]) {
      n++;
      if (p.mask[i] !== 0) hit++;
    }
  return { share: n ? hit / n : 0, pixels: n };
}

const isValid = (v: number, nodata: number | null) =>
  Number.isFinite(v) && v !== 0 && (nodata === null || v !== nodata);

/**
 * Measures and decides one re-check. Returns null when a date's scene does not reach the 图斑.
 * The scenes are read over the 图斑's window only; nothing is written.
 */
export async function recheckPolygon(
  polygon: Areal,
  scenes: RecheckScenes,
  opts: RecheckOptions,
): Promise<RecheckResult | null> {
  const rule = opts.rule ?? DEFAULT_RECHECK_CONFIG;
  const box = bboxOf(polygon);
  const wins = {
    before: windowOn(scenes.before.grid, box),
    violation: windowOn(scenes.violation.grid, box),
    now: windowOn(scenes.now.grid, box),
  };
  if (!wins.before || !wins.violation || !wins.now) return null;
  const before = windowScene(scenes.before, wins.before);
  const violation = windowScene(scenes.violation, wins.violation);
  const now = windowScene(scenes.now, wins.now);
  const o = scenes.offsets ?? {};

  // Readable on the new date: every role band present and not nodata or fill.
  const profile = profileOf(opts.sensor);
  const roles = resolveBands(profile, now.bandNames, 'now', opts.bands);
  const names = profile.required.map((r) => roles[r]!).filter(Boolean);
  const full: PixelWindow = { x0: 0, y0: 0, width: now.grid.width, height: now.grid.height };
  const nowBands = await now.readBands(names, full);
  const inNow = maskOf(now.grid, full, (x, y) => containsPoint(polygon, x, y));
  let pixels = 0;
  let valid = 0;
  for (let i = 0; i < inNow.length; i++)
    if (inNow[i]) {
      pixels++;
      if (nowBands.every((b) => isValid(b[i], now.nodata))) valid++;
    }

  const gonePass = await pass(now, violation, { before: o.now, after: o.violation }, opts);
  const residualPass = await pass(before, now, { before: o.before, after: o.now }, opts);
  const growthPass = await pass(violation, now, { before: o.violation, after: o.now }, opts);
  const ring = grownBox(box, rule.ringM);
  const around = maskOf(
    growthPass.grid,
    growthPass.window,
    (x, y) => x >= ring[0] && x <= ring[2] && y >= ring[1] && y <= ring[3],
  );
  let grownPx = 0;
  // Built only: a building demolished to soil reads as `bare` change from the violation date
  // (on the synthetic restorations every "soil" site read 100 % bare, eval:recheck).
  for (let i = 0; i < around.length; i++) if (around[i] && growthPass.mask[i] === BUILT) grownPx++;

  const gone = shareIn(gonePass, polygon);
  const measures: RecheckMeasures = {
    polygonPixels: gone.pixels,
    validShare: pixels ? valid / pixels : 0,
    gone: gone.share,
    residual: shareIn(residualPass, polygon).share,
    grownM2: grownPx * pixelAreaM2(growthPass.grid),
    polygonM2: ellipsoidalAreaM2(polygon),
  };
  const verdict = decideRecheck(measures, rule);
  return {
    ...verdict,
    measures,
    ...(opts.chips
      ? { chips: await chipsOf(polygon, { before, violation, now }, roles, opts.sensor) }
      : {}),
  };
}

/**
 * The before / violation / now chips of a 图斑 on three scenes, drawn as a re-check draws them
 * (the 图斑's window with its margin, its outline in yellow), without measuring anything; null
 * when a scene misses the 图斑. For results stated rather than measured (the demo's month).
 */
export async function recheckChips(
  polygon: Areal,
  scenes: { before: RasterScene; violation: RasterScene; now: RasterScene },
  sensor: SensorId,
): Promise<RecheckChips | null> {
  const box = bboxOf(polygon);
  const windowed = {} as { before: RasterScene; violation: RasterScene; now: RasterScene };
  for (const k of ['before', 'violation', 'now'] as const) {
    const w = windowOn(scenes[k].grid, box);
    if (!w) return null;
    windowed[k] = windowScene(scenes[k], w);
  }
  const roles = resolveBands(profileOf(sensor), windowed.now.bandNames, 'now');
  return chipsOf(polygon, windowed, roles, sensor);
}

/**
 * Before / violation / now chips of the 图斑's window in true colour, all three stretched
 * alike (2–98 % of the before date, so a change of colour shows as one), the 图斑's edge in
 * yellow. Without red, green and blue (a sensor read on other bands) the first three roles.
 */
async function chipsOf(
  polygon: Areal,
  s: { before: RasterScene; violation: RasterScene; now: RasterScene },
  roles: Partial<Record<string, string>>,
  sensor: SensorId,
): Promise<RecheckChips> {
  const profile = profileOf(sensor);
  const rgb = (['red', 'green', 'blue'] as const).map((r) => roles[r]);
  const names = rgb.every(Boolean)
    ? (rgb as string[])
    : profile.order.slice(0, 3).map((r) => roles[r]!);
  const read = async (scene: RasterScene) => {
    const w: PixelWindow = { x0: 0, y0: 0, width: scene.grid.width, height: scene.grid.height };
    const bands = await scene.readBands(names, w);
    const inside = maskOf(scene.grid, w, (x, y) => containsPoint(polygon, x, y));
    // The outline: inside pixels with a neighbour outside.
    const edge = new Uint8Array(inside.length);
    for (let r = 0; r < w.height; r++)
      for (let c = 0; c < w.width; c++) {
        const i = r * w.width + c;
        if (!inside[i]) continue;
        const out = (rr: number, cc: number) =>
          rr < 0 || cc < 0 || rr >= w.height || cc >= w.width || !inside[rr * w.width + cc];
        if (out(r - 1, c) || out(r + 1, c) || out(r, c - 1) || out(r, c + 1)) edge[i] = 1;
      }
    return { bands: bands as [Float32Array, Float32Array, Float32Array], edge, w };
  };
  const dates = {
    before: await read(s.before),
    violation: await read(s.violation),
    now: await read(s.now),
  };
  const stretch = dates.before.bands.map((b) => {
    const v = b.filter((x) => Number.isFinite(x) && x !== 0);
    return { lo: quantile(v, 0.02), hi: quantile(v, 0.98) };
  }) as [Stretch, Stretch, Stretch];
  const png = (d: (typeof dates)['before']) =>
    encodeRgbPng(d.bands, d.w.width, d.w.height, stretch, d.edge);
  return { before: png(dates.before), violation: png(dates.violation), now: png(dates.now) };
}
