/** Shapes for synthetic features: irregular blobs for 图斑 and red lines, boxes around them. */
import { bboxOf } from '../geo/bbox.ts';
import type { Areal, Polygon, Ring } from '../geo/types.ts';
import { intersect } from './clip.ts';
import { largestPolygon, metresPerDegree, ringInside, roundCoord } from './planar.ts';
import type { Rng } from './random.ts';

/**
 * A star-shaped polygon around (cx, cy): `n` vertices at increasing angles with radii in
 * [0.7, 1]·r metres. Star-shaped rings with sorted angles are always simple.
 */
export function blob(cx: number, cy: number, r: number, rng: Rng, n = rng.int(5, 8)): Polygon {
  const m = metresPerDegree(cy);
  const start = rng.range(0, 2 * Math.PI);
  const ring: Ring = [];
  for (let k = 0; k < n; k++) {
    const a = start + ((k + rng.range(0.15, 0.85)) * 2 * Math.PI) / n;
    const rr = r * rng.range(0.7, 1);
    ring.push([
      roundCoord(cx + (rr * Math.cos(a)) / m.lon),
      roundCoord(cy + (rr * Math.sin(a)) / m.lat),
    ]);
  }
  ring.push(ring[0]);
  return { type: 'Polygon', coordinates: [ring] };
}

/** Axis-aligned box around `geometry` with `margin` metres on every side. */
export function boxAround(geometry: Areal, margin: number): Polygon {
  const [minX, minY, maxX, maxY] = bboxOf(geometry);
  const m = metresPerDegree((minY + maxY) / 2);
  const dx = margin / m.lon;
  const dy = margin / m.lat;
  const [x0, y0, x1, y1] = [minX - dx, minY - dy, maxX + dx, maxY + dy].map(roundCoord);
  return {
    type: 'Polygon',
    coordinates: [
      [
        [x0, y0],
        [x1, y0],
        [x1, y1],
        [x0, y1],
        [x0, y0],
      ],
    ],
  };
}

/** `shape` if it lies inside `container`, else its largest piece inside it (null if none). */
export function keepInside(shape: Polygon, container: Areal): Polygon | null {
  if (ringInside(container, shape.coordinates[0])) return shape;
  const clipped = intersect(shape, container);
  return clipped && largestPolygon(clipped);
}
