/**
 * The LEVIR-CD samples in ../shared/data/levir as scenes: 0.5 m RGB PNG pairs (A/ before,
 * B/ after, label/ 0/255) without a georeference, so a local 0.5 m grid stands in. Shared by
 * `npm run eval:detect` and `npm run train:detect -- --sensor rgb`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { crsFromEpsg } from '../src/raster/crs.ts';
import { memoryScene } from '../src/raster/memory-scene.ts';
import type { RasterGrid } from '../src/raster/grid.ts';
import type { RasterScene } from '../src/raster/scene-source.ts';

/** The labelled samples' names (file names without .png), sorted. */
export function levirSamples(dir: string): string[] {
  return readdirSync(join(dir, 'label'))
    .filter((f) => f.endsWith('.png'))
    .sort()
    .map((f) => f.replace(/\.png$/, ''));
}

/**
 * The source image a sample was cut from (`test_2_0000_0512` → `test_2`): crops of one image
 * share its buildings' look, so they are held out together.
 */
export function levirImage(sample: string): string {
  return sample.split('_').slice(0, 2).join('_');
}

/** One date of a sample's red, green and blue planes (8-bit) and its size. */
function readRgb(
  dir: string,
  which: 'A' | 'B',
  sample: string,
): { width: number; height: number; rgb: Uint8Array[] } {
  const p = PNG.sync.read(readFileSync(join(dir, which, `${sample}.png`)));
  const rgb = [0, 1, 2].map((c) => {
    const band = new Uint8Array(p.width * p.height);
    for (let i = 0; i < band.length; i++) band[i] = p.data[i * 4 + c];
    return band;
  });
  return { width: p.width, height: p.height, rgb };
}

/** The local grid standing in for a georeference: `k`× `width` × `height` pixels of 0.5/k m. */
function localGrid(width: number, height: number, k = 1): RasterGrid {
  return {
    width: width * k,
    height: height * k,
    crs: crsFromEpsg(32650),
    originX: 600000,
    originY: 3500000,
    pixelWidth: 0.5 / k,
    pixelHeight: 0.5 / k,
  };
}

/** One date of a sample (`A` before, `B` after) as a three-band scene on a local 0.5 m grid. */
export function levirScene(dir: string, which: 'A' | 'B', sample: string): RasterScene {
  const { width, height, rgb } = readRgb(dir, which, sample);
  return memoryScene(`${which}/${sample}`, localGrid(width, height), {
    '1': rgb[0],
    '2': rgb[1],
    '3': rgb[2],
  });
}

/**
 * One date of a sample upsampled `k` times (bilinear, on pixel centres) onto a local grid of
 * 0.5/k m: a stand-in for a finer camera over the same ground, such as a drone frame, which
 * `npm run eval:detect` uses to score the working resolution (src/detect/working-resolution.ts).
 */
export function levirFineScene(
  dir: string,
  which: 'A' | 'B',
  sample: string,
  k: number,
): RasterScene {
  const { width, height, rgb } = readRgb(dir, which, sample);
  const W = width * k;
  const H = height * k;
  const bands: Record<string, Uint8Array> = {};
  for (let c = 0; c < 3; c++) {
    const out = new Uint8Array(W * H);
    const at = (y: number, x: number): number => rgb[c][y * width + x];
    for (let y = 0; y < H; y++) {
      const fy = Math.min(height - 1, Math.max(0, (y + 0.5) / k - 0.5));
      const y0 = Math.floor(fy);
      const y1 = Math.min(height - 1, y0 + 1);
      for (let x = 0; x < W; x++) {
        const fx = Math.min(width - 1, Math.max(0, (x + 0.5) / k - 0.5));
        const x0 = Math.floor(fx);
        const x1 = Math.min(width - 1, x0 + 1);
        const top = at(y0, x0) + (at(y0, x1) - at(y0, x0)) * (fx - x0);
        const bottom = at(y1, x0) + (at(y1, x1) - at(y1, x0)) * (fx - x0);
        out[y * W + x] = Math.round(top + (bottom - top) * (fy - y0));
      }
    }
    bands[String(c + 1)] = out;
  }
  return memoryScene(`${which}/${sample}@${k}`, localGrid(width, height, k), bands);
}
