import type { ComponentRaster } from '../raster/runs.ts';
import type { PixelWindow } from '../raster/grid.ts';
import { encodeRgbPng, type Stretch } from '../raster/png.ts';
import { readPairWindow, type ScenePair } from './pair-reader.ts';

/** Before/after evidence chips of one polygon, PNG bytes. */
export interface Chips {
  before: Buffer;
  after: Buffer;
}

/** Margin around a polygon's box, and the smallest chip side, in pixels. */
const MARGIN = 8;
const MIN_SIDE = 48;

/**
 * Render the before and after chips of a component: true colour (red, green, blue at band
 * indices `rgb`), each band stretched between its 2 % and 98 % quantiles over the scene
 * sample so that all chips of a scene share one look, and the polygon's edge pixels in yellow.
 */
export async function renderChips(
  pair: ScenePair,
  c: ComponentRaster,
  win: PixelWindow,
  rgb: [number, number, number],
  stretch: [Stretch, Stretch, Stretch],
): Promise<Chips> {
  const b = c.box;
  const grow = (lo: number, hi: number, size: number): [number, number] => {
    const pad = Math.max(MARGIN, Math.ceil((MIN_SIDE - (hi - lo + 1)) / 2));
    return [Math.max(0, lo - pad), Math.min(size - 1, hi + pad)];
  };
  const [x0, x1] = grow(b[0], b[2], win.width);
  const [y0, y1] = grow(b[1], b[3], win.height);
  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  const p = await readPairWindow(pair, { x0: win.x0 + x0, y0: win.y0 + y0, width: w, height: h });
  const outline = new Uint8Array(w * h);
  // Whether window pixel (x, y) belongs to the component.
  const at = (x: number, y: number): boolean =>
    x >= b[0] &&
    y >= b[1] &&
    x <= b[2] &&
    y <= b[3] &&
    c.mask[(y - b[1]) * c.width + x - b[0]] === 1;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const X = x0 + x;
      const Y = y0 + y;
      if (at(X, Y) && (!at(X - 1, Y) || !at(X + 1, Y) || !at(X, Y - 1) || !at(X, Y + 1)))
        outline[y * w + x] = 1;
    }
  const pick = (bands: Float32Array[]): [Float32Array, Float32Array, Float32Array] => [
    bands[rgb[0]],
    bands[rgb[1]],
    bands[rgb[2]],
  ];
  return {
    before: encodeRgbPng(pick(p.before), w, h, stretch, outline),
    after: encodeRgbPng(pick(p.after), w, h, stretch, outline),
  };
}
