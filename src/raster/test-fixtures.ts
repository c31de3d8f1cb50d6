/**
 * Test fixtures generated on the fly: small GeoTIFF scenes with planted changes, written to a
 * temporary folder. Used only by tests (never by the product code).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crsFromEpsg } from './crs.ts';
import { encodeGeoTiff, type GeoTiffWriteOptions } from './geotiff-write.ts';
import type { RasterGrid } from './grid.ts';
export { rng } from '../random.ts';
import { rng } from '../random.ts';

export function tempDir(prefix = 'gengbao-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function utmGrid(width: number, height: number, over: Partial<RasterGrid> = {}): RasterGrid {
  return {
    width,
    height,
    crs: crsFromEpsg(32649),
    originX: 500000,
    originY: 4000000,
    pixelWidth: 10,
    pixelHeight: 10,
    ...over,
  };
}

export interface SyntheticPair {
  grid: RasterGrid;
  before: Uint16Array[];
  after: Uint16Array[];
  /** 1 where a field was built on (what the detector must find). */
  truth: Uint8Array;
}

/** Spectra (blue, green, red, NIR; reflectance ×10000) of green crop, bare/ploughed soil, buildings. */
const CROP = [400, 700, 500, 3500];
const BARE = [900, 1100, 1300, 2000];
const BUILT = [1400, 1500, 1600, 1900];

/**
 * A 4-band UInt16 pair in the style of make_scene.py: fields of green crop, a few planted
 * buildings (rectangles, some with a courtyard hole) and one seasonal field ploughed bare
 * (not a violation), with a 5 % gain between dates and noise.
 */
export function syntheticPair(size = 128, seed = 1): SyntheticPair {
  const grid = utmGrid(size, size);
  const r = rng(seed);
  const n = size * size;
  const before = [0, 1, 2, 3].map(() => new Uint16Array(n));
  const after = [0, 1, 2, 3].map(() => new Uint16Array(n));
  const truth = new Uint8Array(n);
  const field = 32;
  const stateB = new Uint8Array(n);
  const stateA = new Uint8Array(n);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const f = Math.floor(y / field) * 97 + Math.floor(x / field) * 31;
      stateB[y * size + x] = f % 7 === 3 ? 1 : 0;
    }
  stateA.set(stateB);
  // A seasonal change: one whole green field (the second row's first) ploughed bare.
  for (let y = field; y < 2 * field && y < size; y++)
    for (let x = 0; x < field; x++) if (stateB[y * size + x] === 0) stateA[y * size + x] = 1;
  const plant = (x0: number, y0: number, w: number, h: number, hole = false): void => {
    for (let y = y0; y < Math.min(size, y0 + h); y++)
      for (let x = x0; x < Math.min(size, x0 + w); x++) {
        const inner = hole && x > x0 + 2 && x < x0 + w - 3 && y > y0 + 2 && y < y0 + h - 3;
        if (inner || stateB[y * size + x] !== 0) continue;
        stateA[y * size + x] = 2;
        truth[y * size + x] = 1;
      }
  };
  plant(Math.floor(size * 0.55), Math.floor(size * 0.55), 14, 12, true);
  plant(Math.floor(size * 0.2), Math.floor(size * 0.7), 6, 9);
  plant(Math.floor(size * 0.75), Math.floor(size * 0.3), 10, 5);
  const spectra = [CROP, BARE, BUILT];
  const noise = (): number => (r() + r() + r() - 1.5) * 80;
  for (let i = 0; i < n; i++)
    for (let b = 0; b < 4; b++) {
      before[b][i] = Math.max(1, spectra[stateB[i]][b] + noise());
      after[b][i] = Math.max(1, spectra[stateA[i]][b] * 1.05 + noise());
    }
  return { grid, before, after, truth };
}

/** Write bands as one multiband GeoTIFF. */
export function writeMultiband(
  file: string,
  bands: Uint16Array[] | Uint8Array[] | Float32Array[],
  grid: RasterGrid,
  opts?: GeoTiffWriteOptions,
): string {
  writeFileSync(file, encodeGeoTiff(bands, grid, opts));
  return file;
}

/** Write bands as a folder of per-band files with the given names (e.g. B02 B03 B04 B08). */
export function writeBandFolder(
  dir: string,
  names: string[],
  bands: Uint16Array[],
  grid: RasterGrid,
  opts?: GeoTiffWriteOptions,
): string {
  mkdirSync(dir, { recursive: true });
  names.forEach((name, i) =>
    writeFileSync(join(dir, `${name}.tif`), encodeGeoTiff([bands[i]], grid, opts)),
  );
  return dir;
}

/** An 8-bit RGB pair (bands red, green, blue) on `grid`. */
export interface RgbPair {
  grid: RasterGrid;
  before: Uint8Array[];
  after: Uint8Array[];
}

/**
 * syntheticPair's red, green and blue as 8-bit aerial RGB (values / 16) on 0.5 m pixels, each
 * repeated `k` × `k` on pixels k times smaller (a drone frame of the same ground: averaging
 * k × k gives the 0.5 m pair back exactly). k = 1: the 0.5 m pair itself.
 */
export function rgbPair(pair: SyntheticPair, k = 1): RgbPair {
  const { width, height } = pair.grid;
  const W = width * k;
  const rgb = (bands: Uint16Array[]): Uint8Array[] =>
    [2, 1, 0].map((b) => {
      const out = new Uint8Array(W * height * k);
      for (let y = 0; y < height * k; y++)
        for (let x = 0; x < W; x++)
          out[y * W + x] = bands[b][Math.floor(y / k) * width + Math.floor(x / k)] / 16;
      return out;
    });
  const grid = utmGrid(W, height * k, { pixelWidth: 0.5 / k, pixelHeight: 0.5 / k });
  return { grid, before: rgb(pair.before), after: rgb(pair.after) };
}

/**
 * Write bands as GDAL would with creation options `co` (COMPRESS=LZW, PHOTOMETRIC=YCBCR, …) and
 * other gdal_translate arguments `args` (-a_offset, -mo, …): written plain by our encoder, then
 * copied by gdal_translate, for what the encoder does not write. Needs gdal_translate on PATH.
 */
export function writeWithGdal(
  file: string,
  bands: Uint16Array[] | Uint8Array[],
  grid: RasterGrid,
  co: string[],
  args: string[] = [],
): string {
  const plain = writeMultiband(`${file}.plain.tif`, bands, grid, { deflate: false });
  execFileSync('gdal_translate', ['-q', ...co.flatMap((o) => ['-co', o]), ...args, plain, file]);
  return file;
}
