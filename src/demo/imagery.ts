/**
 * I/O: writes the demo imagery pair over one township as GeoTIFFs, with what changes between
 * the dates (truth: the new demo 图斑 under it and the changes planted beside them) and the
 * seasonal distractors as GeoJSON beside them.
 *
 * Georeference: EPSG:4490 (CGCS2000 geographic, the domain's CRS), ModelTiepoint at the
 * top-left pixel corner, ModelPixelScale 0.00011° × 0.00009° (≈ 10 m square at 35.6° N), 4 bands
 * band-separate UInt16, tiled 256² and DEFLATE-compressed — written by the project's
 * `encodeGeoTiff` (src/raster), since geotiff.js's own writer emits one uncompressed strip.
 *
 * Stored as a Sentinel-2 product of 2026 is, converted by GDAL: from processing baseline 04.00
 * (January 2022) on, ESA stores reflectance ×10000 plus 1000, and GDAL writes each band's scale
 * 0.0001 and offset −0.1 — which the detector reads (src/detect/radiometry.ts) and the detection
 * job reports.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GengbaoError } from '../errors.ts';
import type { BBox } from '../geo/types.ts';
import { crsFromEpsg } from '../raster/crs.ts';
import { encodeGeoTiff, type BandArray } from '../raster/geotiff-write.ts';
import type { BandScaling } from '../raster/band-scaling.ts';
import type { RasterGrid } from '../raster/grid.ts';
import { BAND_NAMES, type ImageryScene, demoImageryScene } from './imagery-scene.ts';
import { DEMO_SEED } from './region.ts';
import type { DemoPolygon } from './types.ts';

export interface DemoImageryFiles {
  before: string;
  after: string;
  /**
   * What changes: FeatureCollection of Polygons with `changeType` building | road | bare_soil,
   * and `code` on those that are demo 图斑 (the rest are planted: no 图斑 yet).
   */
  truth: string;
  /** Seasonal field changes that are not construction: FeatureCollection, `kind` harvest | green_up. */
  distractors: string;
  bbox: BBox;
  townshipCode: string;
  /** Acquisition dates the scene stands for: before 2026-10-18, after 2026-11-17. */
  dates: { before: string; after: string };
}

/** Sentinel-2 from processing baseline 04.00: reflectance = stored · 0.0001 − 0.1. */
export const DEMO_SCALING: BandScaling = { scale: 1e-4, offset: -0.1 };

/** Reflectance ×10000 as such a product stores it: 1000 added, the 0 fill kept. */
function stored(bands: Uint16Array[]): BandArray[] {
  return bands.map((b) => b.map((v) => (v ? v + 1000 : 0)));
}

/** The raster grid of a scene, for the GeoTIFF writer. */
export function sceneGrid(scene: ImageryScene): RasterGrid {
  const f = scene.frame;
  return {
    width: f.width,
    height: f.height,
    crs: crsFromEpsg(4490),
    originX: f.originX,
    originY: f.originY,
    pixelWidth: f.pixelWidth,
    pixelHeight: f.pixelHeight,
  };
}

/**
 * Writes `before.tif`, `after.tif`, `truth.geojson` and `distractors.geojson` into `dir`
 * (created if missing), showing the demo 图斑 `polygons` (the region's for `seed`; built when
 * not given, ~5 s). Files appear all together: each is written under a temporary
 * name and renamed only once all four are on disk.
 * @throws GengbaoError('bad_input', field 'dir') when `dir` cannot be created or written.
 * @example const files = await writeDemoImagery('./data/demo-imagery'); // files.before → …/before.tif
 */
export async function writeDemoImagery(
  dir: string,
  seed: string = DEMO_SEED,
  polygons?: readonly DemoPolygon[],
): Promise<DemoImageryFiles> {
  if (typeof dir !== 'string' || dir.length === 0)
    throw new GengbaoError('bad_input', 'an output folder is required', { field: 'dir' });
  // Create the folder first: a bad path fails in milliseconds, before the synthesis.
  await mkdir(dir, { recursive: true }).catch((cause: Error) => {
    throw new GengbaoError(
      'bad_input',
      `cannot create the demo imagery folder ${dir}: ${cause.message}`,
      {
        field: 'dir',
        cause,
      },
    );
  });
  const scene = demoImageryScene(seed, undefined, polygons);
  const grid = sceneGrid(scene);
  const meta = {
    name: `gengbao demo imagery, township ${scene.townshipCode}`,
    townshipCode: scene.townshipCode,
    dates: scene.dates,
    bands: BAND_NAMES,
    crs: 'EPSG:4490',
    synthetic: true,
  };
  const outputs: [string, Buffer | string][] = [
    ['before.tif', encodeGeoTiff(stored(scene.before), grid, { scaling: DEMO_SCALING })],
    ['after.tif', encodeGeoTiff(stored(scene.after), grid, { scaling: DEMO_SCALING })],
    ['truth.geojson', JSON.stringify({ ...scene.truth, ...meta })],
    ['distractors.geojson', JSON.stringify({ ...scene.distractors, ...meta })],
  ];
  try {
    for (const [name, data] of outputs) await writeFile(join(dir, `${name}.partial`), data);
    for (const [name] of outputs) await rename(join(dir, `${name}.partial`), join(dir, name));
  } catch (cause) {
    throw new GengbaoError(
      'bad_input',
      `cannot write the demo imagery into ${dir}: ${(cause as Error).message}`,
      {
        field: 'dir',
        cause,
      },
    );
  }
  return {
    before: join(dir, 'before.tif'),
    after: join(dir, 'after.tif'),
    truth: join(dir, 'truth.geojson'),
    distractors: join(dir, 'distractors.geojson'),
    bbox: scene.bbox,
    townshipCode: scene.townshipCode,
    dates: { ...scene.dates },
  };
}
