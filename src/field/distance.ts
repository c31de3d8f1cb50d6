import geodesic from 'geographiclib-geodesic';
import { CGCS2000_A, CGCS2000_F } from '../geo/area.ts';
import { pointInRing } from '../geo/repair.ts';
import type { Areal, Position } from '../geo/types.ts';

const cgcs2000 = new geodesic.Geodesic.Geodesic(CGCS2000_A, CGCS2000_F);

/** Geodesic distance in metres between two lon/lat points on the CGCS2000 ellipsoid (Karney 2013). */
export function geodesicDistanceM(a: Position, b: Position): number {
  return cgcs2000.Inverse(a[1], a[0], b[1], b[0]).s12 ?? 0;
}

/** Whether a lon/lat point lies inside the polygon (on a shell, not in a hole). */
export function pointInAreal(p: Position, g: Areal): boolean {
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  return polygons.some(
    (rings) => pointInRing(p, rings[0]) && !rings.slice(1).some((hole) => pointInRing(p, hole)),
  );
}

/**
 * Metres from a point to the nearest edge of a 图斑 (0 inside). The nearest point of each edge
 * is found in a local tangent plane at `p` (equirectangular, exact enough to pick the nearest
 * point for edges a few km away); the distance itself is then the ellipsoidal geodesic to that
 * point, so the threshold compares against a true distance on CGCS2000.
 */
export function distanceToArealM(p: Position, g: Areal): number {
  if (pointInAreal(p, g)) return 0;
  const kx = Math.cos((p[1] * Math.PI) / 180);
  let best: Position = g.type === 'Polygon' ? g.coordinates[0][0] : g.coordinates[0][0][0];
  let bestD2 = Infinity;
  const rings = g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
  for (const ring of rings) {
    for (let i = 1; i < ring.length; i++) {
      const ax = (ring[i - 1][0] - p[0]) * kx;
      const ay = ring[i - 1][1] - p[1];
      const bx = (ring[i][0] - p[0]) * kx;
      const by = ring[i][1] - p[1];
      const dx = bx - ax;
      const dy = by - ay;
      const len2 = dx * dx + dy * dy;
      const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
      const x = ax + t * dx;
      const y = ay + t * dy;
      const d2 = x * x + y * y;
      if (d2 < bestD2) {
        bestD2 = d2;
        best = [p[0] + x / kx, p[1] + y];
      }
    }
  }
  return geodesicDistanceM(p, best);
}
