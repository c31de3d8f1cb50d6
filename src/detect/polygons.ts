import { ellipsoidalAreaM2, roundMu, toMu } from '../geo/area.ts';
import type { Feature, Polygon } from '../geo/types.ts';
import type { Components } from '../raster/components.ts';
import { toLonLat } from '../raster/crs.ts';
import type { PixelWindow, RasterGrid } from '../raster/grid.ts';
import { traceComponent } from '../raster/polygonize.ts';
import { simplifyPolygon } from '../raster/simplify.ts';
import { BARE, BUILT, CLASS_NAMES } from './model.ts';

/** Properties of one change polygon (a candidate 图斑). */
export interface ChangeProperties {
  id: number;
  /** What the after date shows: built (buildings, roads, hard standing) or bare (earthworks). */
  class: 'built' | 'bare';
  /**
   * Mean change magnitude over the polygon's changed pixels, in noise standard deviations
   * (pixels the closing filled in carry no score of their own).
   */
  score: number;
  /** Ellipsoidal area on CGCS2000, m² and 亩 (2 decimals). */
  area_m2: number;
  area_mu: number;
  pixels: number;
  /** Pixel bounding box on the before grid [x0, y0, x1, y1] (inclusive), for chips and review. */
  bbox_px: [number, number, number, number];
}

export type ChangeFeature = Feature<Polygon, ChangeProperties>;

/**
 * Turn one labelled component into a lon/lat polygon feature: exact pixel-edge outline
 * (holes kept) on the before grid, each vertex projected to lon/lat, ellipsoidal area.
 */
export function componentFeature(
  comps: Components,
  id: number,
  window: PixelWindow,
  grid: RasterGrid,
  cls: Uint8Array,
  score: Uint8Array,
  project: (x: number, y: number) => [number, number] = toLonLat(grid.crs),
  simplifyPx = 0,
): ChangeFeature {
  const { labels } = comps;
  const box = comps.boxes.subarray(id * 4, id * 4 + 4);
  const exact = traceComponent(labels, window.width, window.height, id, box);
  const poly = simplifyPx > 0 ? simplifyPolygon(exact, simplifyPx) : exact;
  const rings = poly.rings.map((r) => {
    const pts: [number, number][] = [];
    for (let i = 0; i < r.length; i += 2)
      pts.push(
        project(
          grid.originX + (window.x0 + r[i]) * grid.pixelWidth,
          grid.originY - (window.y0 + r[i + 1]) * grid.pixelHeight,
        ),
      );
    return pts;
  });
  let built = 0;
  let bare = 0;
  let sum = 0;
  let scored = 0;
  for (let y = box[1]; y <= box[3]; y++)
    for (let x = box[0]; x <= box[2]; x++) {
      const i = y * window.width + x;
      if (labels[i] !== id || !cls[i]) continue;
      sum += score[i];
      scored++;
      if (cls[i] === BUILT) built++;
      else if (cls[i] === BARE) bare++;
    }
  const geometry: Polygon = { type: 'Polygon', coordinates: rings };
  const m2 = ellipsoidalAreaM2(geometry);
  const pixels = comps.sizes[id];
  return {
    type: 'Feature',
    id,
    geometry,
    properties: {
      id,
      class: built >= bare ? CLASS_NAMES[1] : CLASS_NAMES[2],
      score: scored ? Math.round((sum / scored) * 10) / 100 : 0,
      area_m2: Math.round(m2 * 100) / 100,
      area_mu: roundMu(toMu(m2)),
      pixels,
      bbox_px: [window.x0 + box[0], window.y0 + box[1], window.x0 + box[2], window.y0 + box[3]],
    },
  };
}
