import type { ComponentRaster } from '../raster/runs.ts';
import type { PixelWindow } from '../raster/grid.ts';
import { encodeRgbPng, type Stretch } from '../raster/png.ts';
import { quantile } from '../raster/threshold.ts';
import { readPairWindow, type PairWindow, type ScenePair } from './pair-reader.ts';
import { inAfterUnits } from './radiometry.ts';
import type { MaskBands, PairRadiometry, PairSample } from './types.ts';

type Stretch3 = [Stretch, Stretch, Stretch];

/** Before/after evidence chips of one polygon, PNG bytes. */
export interface Chips {
  before: Buffer;
  after: Buffer;
}

/** Margin around a polygon's box, and the smallest chip side, in pixels. */
const MARGIN = 8;
const MIN_SIDE = 48;
/**
 * Longest side of a chip drawn at the imagery's own resolution (ChipDetail), in its pixels: a
 * screenful of evidence, and a few hundred kB of PNG per chip for the hundreds of 图斑 a run stores.
 */
const MAX_DETAIL_SIDE = 512;

/**
 * The imagery as read when the detector worked on it averaged (working-resolution.ts): the
 * pair on its own grids and how many of its before-grid pixels a side make one working pixel.
 * Chips drawn from it keep the detail a drone frame was flown for.
 */
export interface ChipDetail {
  pair: ScenePair;
  factor: number;
}

/**
 * Render the before and after chips of a component: true colour (red, green, blue at band
 * indices `rgb`), each band stretched between its 2 % and 98 % quantiles over the before
 * date's sample, the after date over the same reflectance (`stretch`), so that all chips of a
 * scene share one look, and the polygon's edge pixels in yellow.
 */
export async function renderChips(
  pair: ScenePair,
  c: ComponentRaster,
  win: PixelWindow,
  rgb: [number, number, number],
  stretch: { before: [Stretch, Stretch, Stretch]; after: [Stretch, Stretch, Stretch] },
  detail?: ChipDetail,
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
  // Chip pixels per working pixel: the detail pair's factor, fewer where the chip would be too
  // large (the working pixels then sampled at that many points a side).
  let f = detail
    ? Math.max(1, Math.min(detail.factor, Math.floor(MAX_DETAIL_SIDE / Math.max(w, h))))
    : 1;
  const detailed =
    f > 1 && detail ? await readDetail(detail, win.x0 + x0, win.y0 + y0, w, h, f) : undefined;
  if (!detailed) f = 1;
  const p =
    detailed ??
    (await readPairWindow(pair, { x0: win.x0 + x0, y0: win.y0 + y0, width: w, height: h }));
  const cw = w * f;
  const ch = h * f;
  const outline = new Uint8Array(cw * ch);
  // Whether chip pixel (x, y) belongs to the component (chip pixels off the chip do not).
  const at = (x: number, y: number): boolean => {
    if (x < 0 || y < 0 || x >= cw || y >= ch) return false;
    const X = x0 + Math.floor(x / f);
    const Y = y0 + Math.floor(y / f);
    return (
      X >= b[0] &&
      Y >= b[1] &&
      X <= b[2] &&
      Y <= b[3] &&
      c.mask[(Y - b[1]) * c.width + X - b[0]] === 1
    );
  };
  for (let y = 0; y < ch; y++)
    for (let x = 0; x < cw; x++)
      if (at(x, y) && (!at(x - 1, y) || !at(x + 1, y) || !at(x, y - 1) || !at(x, y + 1)))
        outline[y * cw + x] = 1;
  const pick = (bands: Float32Array[]): [Float32Array, Float32Array, Float32Array] => [
    bands[rgb[0]],
    bands[rgb[1]],
    bands[rgb[2]],
  ];
  return {
    before: encodeRgbPng(pick(p.before), cw, ch, stretch.before, outline),
    after: encodeRgbPng(pick(p.after), cw, ch, stretch.after, outline),
  };
}

/**
 * The `w` × `h` working pixels at (x0, y0) drawn `f` × `f` chip pixels each from the detail
 * pair: chip pixel (u, v) is the detail pixel nearest its centre, on the grid's edge pixel
 * where the last working pixel runs past it (the working grid rounds up). Undefined when the
 * chip does not start inside the pair's common window.
 */
async function readDetail(
  detail: ChipDetail,
  x0: number,
  y0: number,
  w: number,
  h: number,
  f: number,
): Promise<PairWindow | undefined> {
  const k = detail.factor;
  const grid = detail.pair.alignment.window;
  const fx0 = x0 * k;
  const fy0 = y0 * k;
  const fw = Math.min(w * k, grid.x0 + grid.width - fx0);
  const fh = Math.min(h * k, grid.y0 + grid.height - fy0);
  // Dates offset by a fraction of a working pixel can leave the chip's corner outside the
  // pair's common window at its own resolution: such a chip is drawn from the working pixels.
  if (fx0 < grid.x0 || fy0 < grid.y0 || fw <= 0 || fh <= 0) return undefined;
  const fine = await readPairWindow(detail.pair, { x0: fx0, y0: fy0, width: fw, height: fh });
  const cw = w * f;
  const ch = h * f;
  const sample = (bands: Float32Array[]): Float32Array[] =>
    bands.map((band) => {
      const out = new Float32Array(cw * ch);
      for (let v = 0; v < ch; v++) {
        const fy = Math.min(fh - 1, Math.floor(((v + 0.5) * k) / f));
        for (let u = 0; u < cw; u++)
          out[v * cw + u] = band[fy * fw + Math.min(fw - 1, Math.floor(((u + 0.5) * k) / f))];
      }
      return out;
    });
  return { before: sample(fine.before), after: sample(fine.after) };
}

/** Band indices of red, green and blue, as renderChips takes them. */
export const rgbOf = (masks: MaskBands): [number, number, number] => [
  masks.red,
  masks.green,
  masks.blue,
];

/**
 * Each band's chip stretch: the 2 % and 98 % quantiles of the before date's sample, and the
 * same reflectance in the after date's units — a date stored 1000 higher is not drawn a tenth
 * brighter.
 */
export function chipStretch(
  sample: PairSample,
  masks: MaskBands,
  radiometry: PairRadiometry | null,
): { before: Stretch3; after: Stretch3 } {
  const before = rgbOf(masks).map((b) => ({
    lo: quantile(sample.before[b], 0.02),
    hi: quantile(sample.before[b], 0.98),
  })) as Stretch3;
  const toAfter = (v: number): number => inAfterUnits(radiometry, v);
  return {
    before,
    after: before.map((s) => ({ lo: toAfter(s.lo), hi: toAfter(s.hi) })) as Stretch3,
  };
}
