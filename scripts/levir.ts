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

/** One date of a sample (`A` before, `B` after) as a three-band scene on a local 0.5 m grid. */
export function levirScene(dir: string, which: 'A' | 'B', sample: string): RasterScene {
  const p = PNG.sync.read(readFileSync(join(dir, which, `${sample}.png`)));
  const bands: Record<string, Uint8Array> = {
    '1': new Uint8Array(p.width * p.height),
    '2': new Uint8Array(p.width * p.height),
    '3': new Uint8Array(p.width * p.height),
  };
  for (let i = 0; i < p.width * p.height; i++)
    for (let c = 0; c < 3; c++) bands[String(c + 1)][i] = p.data[i * 4 + c];
  const grid = {
    width: p.width,
    height: p.height,
    crs: crsFromEpsg(32650),
    originX: 600000,
    originY: 3500000,
    pixelWidth: 0.5,
    pixelHeight: 0.5,
  };
  return memoryScene(`${which}/${sample}`, grid, bands);
}
