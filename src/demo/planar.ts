/**
 * Small planar helpers for synthesising demo geometry in lon/lat. Distances here are local
 * metres on a tangent plane (good to < 0.1 % over a few km), which is all a synthetic
 * parcel or cell needs; official areas are always ellipsoidal (`src/geo/area.ts`).
 */
import { signedRingArea } from '../geo/repair.ts';
import type { Areal, Polygon, Position, Ring } from '../geo/types.ts';

/** Metres per degree of latitude and longitude at latitude `lat` (WGS84/CGCS2000 series). */
export function metresPerDegree(lat: number): { lon: number; lat: number } {
  const phi = (lat * Math.PI) / 180;
  return {
    lat: 111132.92 - 559.82 * Math.cos(2 * phi) + 1.175 * Math.cos(4 * phi),
    lon: 111412.84 * Math.cos(phi) - 93.5 * Math.cos(3 * phi),
  };
}

import { containsPoint } from '../geo/contains.ts';

export { containsPoint };

/**
 * A closed, counter-clockwise ring for a rectangle centred at (cx, cy), `w` × `h` metres,
 * rotated by `angle` radians (counter-clockwise from east).
 */
export function rotatedRect(cx: number, cy: number, w: number, h: number, angle: number): Ring {
  const m = metresPerDegree(cy);
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const corners: Position[] = [
    [-w / 2, -h / 2],
    [w / 2, -h / 2],
    [w / 2, h / 2],
    [-w / 2, h / 2],
  ].map(([dx, dy]) => [cx + (dx * c - dy * s) / m.lon, cy + (dx * s + dy * c) / m.lat]);
  return [...corners, corners[0]];
}

/** True when every vertex of `ring` lies inside `geometry`. */
export function ringInside(geometry: Areal, ring: Ring): boolean {
  for (const p of ring) if (!containsPoint(geometry, p[0], p[1])) return false;
  return true;
}

/** Area-weighted centroid of a polygon's outer ring (planar, in degrees). */
export function ringCentroid(ring: Ring): [number, number] {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const f = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
    a += f;
    cx += (ring[j][0] + ring[i][0]) * f;
    cy += (ring[j][1] + ring[i][1]) * f;
  }
  if (a === 0) return [ring[0][0], ring[0][1]];
  return [cx / (3 * a), cy / (3 * a)];
}

/** The largest polygon of a polygonal geometry (by planar area), for layers that want one Polygon. */
export function largestPolygon(geometry: Areal): Polygon {
  if (geometry.type === 'Polygon') return geometry;
  let best = geometry.coordinates[0];
  let bestArea = -1;
  for (const rings of geometry.coordinates) {
    const a = Math.abs(signedRingArea(rings[0]));
    if (a > bestArea) {
      bestArea = a;
      best = rings;
    }
  }
  return { type: 'Polygon', coordinates: best };
}

/** Rounds a coordinate to 1e-7° (~1 cm): plenty for synthetic features, and compact JSON. */
export function roundCoord(x: number): number {
  return Math.round(x * 1e7) / 1e7;
}

export function roundRing(ring: Ring): Ring {
  return ring.map(([x, y]) => [roundCoord(x), roundCoord(y)]);
}
