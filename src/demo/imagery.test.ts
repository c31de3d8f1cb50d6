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
import { IMAGERY_SIZE, IMAGERY_TOWNSHIP, IMAGERY_VILLAGE, PIXEL_DEGREES } from './imagery-scene.ts';
import { buildJurisdictions } from './jurisdictions.ts';
import { DEMO_SEED } from './region.ts';
import { DEMO_SCALING, type DemoImageryFiles, writeDemoImagery } from './imagery.ts';
import { fillPolygon } from './rasterise.ts';

let dir: string;
let files: DemoImageryFiles;
let bands: { before: ArrayLike<number>[]; after: ArrayLike<number>[] };

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
  files = await writeDemoImagery(join(dir, 'out'));
  bands = { before: (await read(files.before)).rasters, after: (await read(files.after)).rasters };
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Means {
  n: number;
  before: number[];
  after: number[];
  ndviBefore: number;
  ndviAfter: number;
}

/** Mean of each band over the pixels of each polygon, for both dates (one labelled pass). */
function meansIn(polygons: Polygon[]): Means[] {
  const labels = new Int32Array(IMAGERY_SIZE * IMAGERY_SIZE);
  const frame = {
    width: IMAGERY_SIZE,
    height: IMAGERY_SIZE,
    originX: files.bbox[0],
    originY: files.bbox[3],
    pixelWidth: PIXEL_DEGREES[0],
    pixelHeight: PIXEL_DEGREES[1],
  };
  polygons.forEach((p, k) => fillPolygon(labels, frame, p.coordinates, k + 1));
  const sums = polygons.map(() => ({ n: 0, before: [0, 0, 0, 0], after: [0, 0, 0, 0] }));
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === 0) continue;
    const s = sums[labels[i] - 1];
    s.n++;
    for (let b = 0; b < 4; b++) {
      s.before[b] += bands.before[b][i];
      s.after[b] += bands.after[b][i];
    }
  }
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

  it('plants tens of construction changes: brighter, not green, on fields that were not', () => {
    const truth = JSON.parse(readFileSync(files.truth, 'utf8')) as FeatureCollection<
      Polygon,
      { changeType: string }
    >;
    expect(truth.features.length).toBeGreaterThanOrEqual(20);
    expect(new Set(truth.features.map((f) => f.properties.changeType))).toEqual(
      new Set(['building', 'road', 'bare_soil']),
    );
    const means = meansIn(truth.features.map((f) => f.geometry));
    for (const m of means) {
      expect(m.n).toBeGreaterThanOrEqual(4);
      // Reflectance in the visible rises by hundreds (roof, concrete, loess) and NDVI ends low.
      const visible = (x: number[]) => x[0] + x[1] + x[2];
      expect(visible(m.after) - visible(m.before)).toBeGreaterThan(900);
      expect(m.ndviAfter).toBeLessThan(0.35);
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
