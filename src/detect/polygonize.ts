import { toLonLat } from '../raster/crs.ts';
import type { PixelWindow, RasterGrid } from '../raster/grid.ts';
import { componentRaster, runsByComponent } from '../raster/runs.ts';
import { chipStretch, renderChips, rgbOf, type ChipDetail, type Chips } from './chips.ts';
import type { ChangeObjects } from './objects.ts';
import type { OpenedPair } from './open-pair.ts';
import type { DetectProgress } from './options.ts';
import { scenePair } from './pair-reader.ts';
import { componentFeature, type ChangeFeature } from './polygons.ts';
import type { ChangeModel, PairSample } from './types.ts';

export interface PolygonizeOptions {
  /** Douglas–Peucker tolerance in pixels (0: exact pixel-edge outlines). */
  simplifyPx: number;
  /** Render before/after evidence chips of every polygon, stretched by the sample. */
  chips?: { sample: PairSample; model: ChangeModel };
  onPolygon?: (f: ChangeFeature, chips?: Chips) => void | Promise<void>;
  progress: (p: DetectProgress) => void;
}

/**
 * Stages "polygons" and "chips": trace each kept object as an exact pixel-edge polygon in
 * lon/lat with its ellipsoidal area, class and score (polygons.ts), numbered from 1 in label
 * order, render its evidence chips when asked, and hand both to `onPolygon` as soon as traced.
 */
export async function polygonize(
  found: ChangeObjects,
  raster: { cls: Uint8Array; score: Uint8Array; win: PixelWindow; grid: RasterGrid },
  opened: OpenedPair,
  opts: PolygonizeOptions,
): Promise<ChangeFeature[]> {
  const { cls, score, win, grid } = raster;
  const { changed, objects, keep } = found;
  const chips = opts.chips && {
    rgb: rgbOf(opened.masks),
    stretch: chipStretch(opts.chips.sample, opened.masks, opts.chips.model.radiometry),
    detail: chipDetail(opened),
  };
  const project = toLonLat(grid.crs);
  const grouped = runsByComponent(objects);
  const features: ChangeFeature[] = [];
  const kept = keep.reduce((s, v) => s + v, 0);
  let n = 0;
  for (let l = 1; l <= objects.count; l++) {
    if (!keep[l]) continue;
    const c = componentRaster(changed, objects, grouped, l);
    const f = componentFeature(c, l, win, grid, cls, score, project, opts.simplifyPx);
    f.id = f.properties.id = ++n;
    features.push(f);
    const drawn = chips
      ? await renderChips(opened.pair, c, win, chips.rgb, chips.stretch, chips.detail)
      : undefined;
    await opts.onPolygon?.(f, drawn);
    if (n % 256 === 0 || n === kept) opts.progress({ phase: 'polygonize', done: n, total: kept });
  }
  return features;
}

/** Averaged imagery keeps its own detail on the evidence chips: the pair as given. */
function chipDetail(opened: OpenedPair): ChipDetail | undefined {
  const factor = opened.working.factors[0];
  if (factor <= 1) return undefined;
  const { before, after } = opened.given;
  return { pair: scenePair(before, after, opened.bands[0], opened.bands[1]), factor };
}
