import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromFile } from 'geotiff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GengbaoError } from '../errors.ts';
import { declaredScaling } from '../raster/band-scaling.ts';
import type { FeatureCollection, Polygon } from '../geo/types.ts';
import { bboxOf } from '../geo/bbox.ts';
import { jinchengAdmin } from './admin-data.ts';
import { demoImageryFrame, frameBox } from './imagery-layout.ts';
import {
  IMAGERY_SIZE,
  IMAGERY_TOWNSHIP,
  IMAGERY_VILLAGE,
  PIXEL_DEGREES,
  demoImageryScene,
} from './imagery-scene.ts';
import { buildJurisdictions } from './jurisdictions.ts';
import { DEMO_SEED, buildDemoRegion, villagePlaces } from './region.ts';
import { DEMO_SCALING, type DemoImageryFiles, writeDemoImagery } from './imagery.ts';
import { shapePixels } from './rasterise.ts';
import type { DemoPolygon, DemoRegion } from './types.ts';

let dir: string;
let files: DemoImageryFiles;
let bands: { before: ArrayLike<number>[]; after: ArrayLike<number>[] };
let raw: { before: Uint16Array[]; after: Uint16Array[] };
let region: DemoRegion;
let truth: FeatureCollection<Polygon, { changeType: string; code?: string; pixels: number }>;

/** How a demo 图斑's changeType shows from above (issue #20). */
const LOOK: Record<string, string> = {
  新建建筑: 'building',
  道路: 'road',
  硬化地面: 'road',
  推填土: 'bare_soil',
  堆放物: 'bare_soil',
};

/** A scene's bands as reflectance ×10000, through the scaling each band declares. */
async function read(path: string) {
  const tiff = await fromFile(path);
  const image = await tiff.getImage();
  // A plain array: readRasters' own array type maps into one of its own kind.
  const raw = Array.from((await image.readRasters()) as unknown as Uint16Array[]);
  const scaling = await Promise.all(raw.map((_, s) => declaredScaling(image, s)));
  const rasters = raw.map((b, s) => {
    const { scale, offset } = scaling[s]!;
    return Float64Array.from(b, (v) => Math.round((v * scale + offset) * 10000));
  });
  return { image, raw, scaling, rasters };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gengbao-imagery-'));
  region = buildDemoRegion();
  files = await writeDemoImagery(join(dir, 'out'), DEMO_SEED, region.polygons);
  const [before, after] = [await read(files.before), await read(files.after)];
  bands = { before: before.rasters, after: after.rasters };
  raw = { before: before.raw, after: after.raw };
  truth = JSON.parse(readFileSync(files.truth, 'utf8')) as typeof truth;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const visible = (x: number[]) => x[0] + x[1] + x[2];
/** New between the dates: a 2026-11 图斑 repeating none of 2026-10. */
const isFresh = (p: DemoPolygon) => p.period === '2026-11' && !p.properties.repeatOf;

interface Means {
  n: number;
  before: number[];
  after: number[];
  ndviBefore: number;
  ndviAfter: number;
}

/** The pixel grid of the written files. */
const fileFrame = () => ({
  width: IMAGERY_SIZE,
  height: IMAGERY_SIZE,
  originX: files.bbox[0],
  originY: files.bbox[3],
  pixelWidth: PIXEL_DEGREES[0],
  pixelHeight: PIXEL_DEGREES[1],
});

/**
 * Mean of each band over the pixels of each polygon (as the scene paints it: the pixel under
 * its middle when it is too small to hold a pixel centre), for both dates.
 */
function meansIn(polygons: Polygon[]): Means[] {
  const frame = fileFrame();
  const sums = polygons.map((p) => {
    const s = { n: 0, before: [0, 0, 0, 0], after: [0, 0, 0, 0] };
    for (const i of shapePixels(frame, p.coordinates)) {
      s.n++;
      for (let b = 0; b < 4; b++) {
        s.before[b] += bands.before[b][i];
        s.after[b] += bands.after[b][i];
      }
    }
    return s;
  });
  const ndvi = (m: number[]) => (m[3] - m[2]) / (m[3] + m[2]);
  return sums.map((s) => {
    const before = s.before.map((x) => x / s.n);
    const after = s.after.map((x) => x / s.n);
    return { n: s.n, before, after, ndviBefore: ndvi(before), ndviAfter: ndvi(after) };
  });
}

describe('demo imagery pair', () => {
  it('writes two 1024² 4-band UInt16 GeoTIFFs on EPSG:4490 over the demo township', async () => {
    expect(files.townshipCode).toBe(IMAGERY_TOWNSHIP);
    expect(files.dates).toEqual({ before: '2026-10-18', after: '2026-11-17' });
    for (const path of [files.before, files.after]) {
      const { image, raw, scaling } = await read(path);
      expect([image.getWidth(), image.getHeight(), image.getSamplesPerPixel()]).toEqual([
        1024, 1024, 4,
      ]);
      expect(image.getBitsPerSample()).toBe(16);
      expect(raw[0]).toBeInstanceOf(Uint16Array);
      // Stored as Sentinel-2 from processing baseline 04.00: every band declares it.
      expect(scaling).toEqual([DEMO_SCALING, DEMO_SCALING, DEMO_SCALING, DEMO_SCALING]);
      expect(Math.min(...raw[0].subarray(0, 4096))).toBeGreaterThan(1000);
      expect(image.getGeoKeys()).toMatchObject({
        GTModelTypeGeoKey: 2,
        GeographicTypeGeoKey: 4490,
      });
      const [rx, ry] = image.getResolution();
      expect(rx).toBeCloseTo(PIXEL_DEGREES[0], 12);
      expect(ry).toBeCloseTo(-PIXEL_DEGREES[1], 12);
      const box = image.getBoundingBox();
      for (let i = 0; i < 4; i++) expect(box[i]).toBeCloseTo(files.bbox[i], 9);
    }
    // Jincheng lies around 112–113.6° E, 35.2–36.1° N.
    expect(files.bbox[0]).toBeGreaterThan(112);
    expect(files.bbox[2]).toBeLessThan(113.7);
    expect(files.bbox[1]).toBeGreaterThan(35.1);
    expect(files.bbox[3]).toBeLessThan(36.2);
    // The field chief's village lies wholly under the pair.
    const village = buildJurisdictions(jinchengAdmin, DEMO_SEED, ['140525']).find(
      (j) => j.code === IMAGERY_VILLAGE,
    );
    const [x0, y0, x1, y1] = bboxOf(village!.geometry!);
    expect(x0).toBeGreaterThan(files.bbox[0]);
    expect(y0).toBeGreaterThan(files.bbox[1]);
    expect(x1).toBeLessThan(files.bbox[2]);
    expect(y1).toBeLessThan(files.bbox[3]);
  });

  it('shows tens of construction changes: brighter, not green, where the ground was open', () => {
    expect(truth.features.length).toBeGreaterThanOrEqual(20);
    expect(new Set(truth.features.map((f) => f.properties.changeType))).toEqual(
      new Set(['building', 'road', 'bare_soil']),
    );
    const means = meansIn(truth.features.map((f) => f.geometry));
    truth.features.forEach((f, k) => {
      const m = means[k];
      // A demo 图斑 may be a few metres across (one pixel); a planted change is bigger.
      expect(m.n, f.properties.code).toBeGreaterThanOrEqual(f.properties.code ? 1 : 4);
      expect(m.n).toBe(f.properties.pixels);
      // Reflectance in the visible rises by hundreds (roof, concrete, loess) and NDVI ends low.
      expect(visible(m.after) - visible(m.before), f.properties.code).toBeGreaterThan(900);
      expect(m.ndviAfter).toBeLessThan(0.35);
    });
  });

  it('shows every 2026-11 图斑 under it that repeats none of 2026-10 as a change, in the truth', () => {
    const box = files.bbox;
    const under = region.polygons.filter((p) => {
      const b = bboxOf(p.geometry);
      return b[0] >= box[0] && b[1] >= box[1] && b[2] <= box[2] && b[3] <= box[3];
    });
    const fresh = under.filter((p) => p.period === '2026-11' && !p.properties.repeatOf);
    expect(fresh.length).toBeGreaterThanOrEqual(40);
    const byCode = new Map(truth.features.map((f) => [f.properties.code, f]));
    const means = meansIn(fresh.map((p) => p.geometry));
    fresh.forEach((p, k) => {
      const t = byCode.get(p.code);
      expect(t, p.code).toBeDefined();
      expect(t!.geometry).toEqual(p.geometry);
      expect(t!.properties.changeType, p.code).toBe(LOOK[p.properties.changeType as string]);
      // Its pixels differ between the dates: from field or scrub to roof, concrete or loess.
      expect(means[k].n).toBeGreaterThanOrEqual(1);
      expect(visible(means[k].after) - visible(means[k].before), p.code).toBeGreaterThan(900);
    });
    // The truth holds no other 图斑: a 2026-10 one (or a repeat of it) was there already.
    const codes = new Set(region.polygons.filter(isFresh).map((p) => p.code));
    for (const f of truth.features)
      if (f.properties.code) expect(codes.has(f.properties.code)).toBe(true);
  });

  it('shows the 2026-10 图斑 under it, and repeats of them, on both dates, unchanged', () => {
    const box = files.bbox;
    const standing = region.polygons.filter((p) => {
      const b = bboxOf(p.geometry);
      const inside = b[0] >= box[0] && b[1] >= box[1] && b[2] <= box[2] && b[3] <= box[3];
      return inside && !isFresh(p);
    });
    expect(standing.length).toBeGreaterThanOrEqual(40);
    expect(standing.some((p) => p.properties.repeatOf)).toBe(true);
    const means = meansIn(standing.map((p) => p.geometry));
    standing.forEach((p, k) => {
      const m = means[k];
      expect(m.n).toBeGreaterThanOrEqual(1);
      // Built (or filled) before 2026-10-18: bright and bare on the first date already …
      expect(visible(m.before), p.code).toBeGreaterThan(3500);
      expect(m.ndviBefore).toBeLessThan(0.35);
      // … and the same on the second, but for the small haze between the acquisitions.
      expect(Math.abs(visible(m.after) - visible(m.before)), p.code).toBeLessThan(400);
      expect(Math.abs(m.ndviAfter - m.ndviBefore)).toBeLessThan(0.05);
    });
  });

  it('plants ~15 changes of its own (no 图斑 yet), clear of every 图斑', () => {
    const planted = truth.features.filter((f) => !f.properties.code);
    expect(planted.length).toBeGreaterThanOrEqual(10);
    expect(planted.length).toBeLessThanOrEqual(15);
    const frame = fileFrame();
    const tuban = new Set(
      region.polygons.flatMap((p) => shapePixels(frame, p.geometry.coordinates)),
    );
    for (const f of planted)
      for (const i of shapePixels(frame, f.geometry.coordinates)) expect(tuban.has(i)).toBe(false);
  });

  it('is the same scene when it builds the region itself (deterministic for the seed)', () => {
    const scene = demoImageryScene();
    expect(scene.bbox).toEqual(files.bbox);
    // The region puts its 图斑 under the frame the scene uses: both take demoImageryFrame.
    const township = region.jurisdictions.filter((j) => j.code.startsWith(IMAGERY_TOWNSHIP));
    const places = villagePlaces(township, DEMO_SEED).map((v) => v.place);
    expect(frameBox(demoImageryFrame(places)!)).toEqual(files.bbox);
    expect(JSON.parse(JSON.stringify(scene.truth.features))).toEqual(truth.features);
    for (let b = 0; b < 4; b++) {
      expect(scene.before[b].every((v, i) => v + 1000 === raw.before[b][i])).toBe(true);
      expect(scene.after[b].every((v, i) => v + 1000 === raw.after[b][i])).toBe(true);
    }
  });

  it('adds seasonal distractors that are vegetation-only changes', () => {
    const distractors = JSON.parse(readFileSync(files.distractors, 'utf8')) as FeatureCollection<
      Polygon,
      { kind: string }
    >;
    expect(distractors.features.length).toBeGreaterThanOrEqual(20);
    const means = meansIn(distractors.features.map((f) => f.geometry));
    distractors.features.forEach((f, k) => {
      const m = means[k];
      // NDVI swings (harvest or green-up) while red stays in the soil/crop range, never bright.
      expect(Math.abs(m.ndviAfter - m.ndviBefore)).toBeGreaterThan(0.2);
      expect(Math.max(m.before[2], m.after[2])).toBeLessThan(1500);
      expect(
        f.properties.kind === 'harvest' ? m.ndviAfter < m.ndviBefore : m.ndviAfter > m.ndviBefore,
      ).toBe(true);
    });
  });

  it('refuses an output folder it cannot create, leaving nothing behind', async () => {
    const blocked = join(files.truth, 'inside-a-file');
    await expect(writeDemoImagery(blocked)).rejects.toThrow(GengbaoError);
    expect(existsSync(blocked)).toBe(false);
  });
});
