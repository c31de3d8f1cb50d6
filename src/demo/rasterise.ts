/**
 * Burning vector shapes into a label raster for the synthetic imagery. Written by hand: the
 * installed raster libraries read and write GeoTIFF but none rasterises polygons, and a
 * scanline fill over a 1024² grid is a few dozen lines (Foley et al., "Computer Graphics",
 * §3.6: even–odd rule at pixel centres).
 */
import type { Ring } from '../geo/types.ts';

/** Maps lon/lat to fractional pixel coordinates (column, row) of a north-up grid. */
export interface PixelFrame {
  width: number;
  height: number;
  originX: number;
  originY: number;
  pixelWidth: number;
  pixelHeight: number;
}

export function toPixel(f: PixelFrame, lon: number, lat: number): [number, number] {
  return [(lon - f.originX) / f.pixelWidth, (f.originY - lat) / f.pixelHeight];
}

/**
 * Calls `fn(i)` for every pixel index `i` whose centre lies inside the polygon `rings`
 * (lon/lat; holes by the even–odd rule). Returns the number of pixels visited.
 */
export function forEachPixelIn(f: PixelFrame, rings: Ring[], fn: (i: number) => void): number {
  const px = rings.map((ring) => ring.map(([x, y]) => toPixel(f, x, y)));
  let minY = Infinity;
  let maxY = -Infinity;
  for (const ring of px)
    for (const [, y] of ring) {
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
  const r0 = Math.max(0, Math.ceil(minY - 0.5));
  const r1 = Math.min(f.height - 1, Math.floor(maxY - 0.5));
  let count = 0;
  const xs: number[] = [];
  for (let r = r0; r <= r1; r++) {
    const yc = r + 0.5;
    xs.length = 0;
    for (const ring of px)
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i];
        const [xj, yj] = ring[j];
        if (yi > yc !== yj > yc) xs.push(xi + ((yc - yi) * (xj - xi)) / (yj - yi));
      }
    xs.sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const c0 = Math.max(0, Math.ceil(xs[k] - 0.5));
      const c1 = Math.min(f.width - 1, Math.floor(xs[k + 1] - 0.5));
      for (let c = c0; c <= c1; c++) fn(r * f.width + c);
      count += Math.max(0, c1 - c0 + 1);
    }
  }
  return count;
}

/**
 * Sets `labels[i] = value` for every pixel whose centre lies inside the polygon `rings`
 * (lon/lat; holes by the even–odd rule). Returns the number of pixels set.
 */
export function fillPolygon(
  labels: Int32Array,
  f: PixelFrame,
  rings: Ring[],
  value: number,
): number {
  return forEachPixelIn(f, rings, (i) => {
    labels[i] = value;
  });
}

/**
 * The pixel indices of a shape as the imagery paints it: those whose centre lies inside it, or,
 * for a shape too small to hold a pixel centre (a 图斑 of a few metres), the pixel holding the
 * middle of its box. Empty when that lies outside the frame.
 */
export function shapePixels(f: PixelFrame, rings: Ring[]): number[] {
  const out: number[] = [];
  forEachPixelIn(f, rings, (i) => out.push(i));
  if (out.length > 0) return out;
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of rings[0]) {
    [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
  }
  const [c, r] = toPixel(f, (x0 + x1) / 2, (y0 + y1) / 2).map(Math.floor);
  return c >= 0 && r >= 0 && c < f.width && r < f.height ? [r * f.width + c] : [];
}

/** Sets every pixel within `halfWidth` pixels of the polyline (lon/lat) to `value`. */
export function strokeLine(
  labels: Int32Array,
  f: PixelFrame,
  line: number[][],
  halfWidth: number,
  value: number,
): void {
  for (let s = 0; s + 1 < line.length; s++) {
    const [x0, y0] = toPixel(f, line[s][0], line[s][1]);
    const [x1, y1] = toPixel(f, line[s + 1][0], line[s + 1][1]);
    const steps = Math.ceil(Math.hypot(x1 - x0, y1 - y0) * 2);
    for (let k = 0; k <= steps; k++) {
      const cx = x0 + ((x1 - x0) * k) / steps;
      const cy = y0 + ((y1 - y0) * k) / steps;
      const rad = Math.ceil(halfWidth);
      for (let dy = -rad; dy <= rad; dy++)
        for (let dx = -rad; dx <= rad; dx++) {
          const c = Math.floor(cx + dx);
          const r = Math.floor(cy + dy);
          if (c < 0 || r < 0 || c >= f.width || r >= f.height) continue;
          if (Math.hypot(c + 0.5 - cx, r + 0.5 - cy) <= halfWidth) labels[r * f.width + c] = value;
        }
    }
  }
}
