import { ellipsoidalAreaM2, roundMu, toMu } from '../geo/area.ts';
import type { Feature, Polygon } from '../geo/types.ts';
import type { ComponentRaster } from '../raster/runs.ts';
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
 * Turn one component into a lon/lat polygon feature: exact pixel-edge outline (holes kept)
 * on the before grid, each vertex projected to lon/lat, ellipsoidal area. `c` is the
 * component on its bounding box in `window` pixels; `cls` and `score` cover the window.
 */
export function componentFeature(
  c: ComponentRaster,
  id: number,
  window: PixelWindow,
  grid: RasterGrid,
  cls: Uint8Array,
  score: Uint8Array,
  project: (x: number, y: number) => [number, number] = toLonLat(grid.crs),
  simplifyPx = 0,
): ChangeFeature {
  const [bx, by] = c.box;
  const labels = Int32Array.from(c.mask);
  const exact = traceComponent(labels, c.width, c.height, 1, [0, 0, c.width - 1, c.height - 1]);
  const poly = simplifyPx > 0 ? simplifyPolygon(exact, simplifyPx) : exact;
  const rings = poly.rings.map((r) => {
    const pts: [number, number][] = [];
    for (let i = 0; i < r.length; i += 2)
      pts.push(
        project(
          grid.originX + (window.x0 + bx + r[i]) * grid.pixelWidth,
          grid.originY - (window.y0 + by + r[i + 1]) * grid.pixelHeight,
        ),
      );
    return pts;
  });
  let built = 0;
  let bare = 0;
  let sum = 0;
  let scored = 0;
  for (let y = 0; y < c.height; y++)
    for (let x = 0; x < c.width; x++) {
      if (!c.mask[y * c.width + x]) continue;
      const i = (by + y) * window.width + bx + x;
      if (!cls[i]) continue;
      sum += score[i];
      scored++;
      if (cls[i] === BUILT) built++;
      else if (cls[i] === BARE) bare++;
    }
  const geometry: Polygon = { type: 'Polygon', coordinates: rings };
  const m2 = ellipsoidalAreaM2(geometry);
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
      pixels: c.size,
      bbox_px: [window.x0 + bx, window.y0 + by, window.x0 + c.box[2], window.y0 + c.box[3]],
    },
  };
}
