import { pointInRing } from './repair.ts';
import type { Areal } from './types.ts';

/** Even–odd point-in-polygon over every ring of a geometry, so holes count as outside. */
export function containsPoint(geometry: Areal, x: number, y: number): boolean {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let inside = false;
  for (const rings of polygons)
    for (const ring of rings) if (pointInRing([x, y], ring)) inside = !inside;
  return inside;
}

/**
 * A point guaranteed inside the geometry (for assigning it to the cell it lies in): the
 * middle of the widest inside stretch of the horizontal line through the middle of its box
 * (the scan-line idea behind PostGIS's ST_PointOnSurface). The box centre alone can fall in
 * a hole or outside an L-shaped parcel.
 */
export function pointOnSurface(geometry: Areal): [number, number] {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const rings of polygons)
    for (const p of rings[0]) {
      if (p[1] < minY) minY = p[1];
      if (p[1] > maxY) maxY = p[1];
    }
  const y = (minY + maxY) / 2;
  const xs: number[] = [];
  for (const rings of polygons)
    for (const ring of rings)
      for (let i = 0, n = ring.length, j = n - 1; i < n; j = i++) {
        const a = ring[i];
        const b = ring[j];
        if (a[1] > y !== b[1] > y) xs.push(a[0] + ((y - a[1]) * (b[0] - a[0])) / (b[1] - a[1]));
      }
  xs.sort((p, q) => p - q);
  let best: [number, number] = [polygons[0][0][0][0], polygons[0][0][0][1]];
  let width = -1;
  for (let k = 0; k + 1 < xs.length; k += 2) {
    if (xs[k + 1] - xs[k] > width) {
      width = xs[k + 1] - xs[k];
      best = [(xs[k] + xs[k + 1]) / 2, y];
    }
  }
  return best;
}
