/**
 * polygon-clipping (Martinez–Rueda sweep line, robust predicates) wrapped for GeoJSON
 * geometries, dropping the degenerate pieces that clipping can leave behind (rings of fewer
 * than three distinct vertices, zero-area slivers), so every result is a valid Areal or null.
 * (Stored boundaries must be valid, so no Sutherland–Hodgman shortcuts here: clipping a
 * concave ring by a convex one can leave zero-width bridges.)
 */
import polygonClipping from 'polygon-clipping';
import type { Areal, Ring } from '../geo/types.ts';
import { signedRingArea } from '../geo/repair.ts';

/** Pieces under ~1e-13 square degrees (~0.001 m²) are slivers, not land. */
const MIN_RING_AREA_DEG2 = 1e-13;

type Geom = polygonClipping.Geom;

function asGeom(geometry: Areal): Geom {
  return (geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates) as Geom;
}

function validRing(ring: Ring): boolean {
  return ring.length >= 4 && Math.abs(signedRingArea(ring)) >= MIN_RING_AREA_DEG2;
}

/** polygon-clipping's MultiPolygon → Polygon, MultiPolygon or null, without degenerate pieces. */
export function fromClipped(result: polygonClipping.MultiPolygon): Areal | null {
  const polygons: Ring[][] = [];
  for (const rings of result) {
    if (!validRing(rings[0])) continue;
    polygons.push([rings[0], ...rings.slice(1).filter(validRing)]);
  }
  if (polygons.length === 0) return null;
  if (polygons.length === 1) return { type: 'Polygon', coordinates: polygons[0] };
  return { type: 'MultiPolygon', coordinates: polygons };
}

/** The part of `a` inside `b`, or null when they do not overlap. */
export function intersect(a: Areal, b: Areal): Areal | null {
  return fromClipped(polygonClipping.intersection(asGeom(a), asGeom(b)));
}

/** The union of `geometries`, or null when it is empty. */
export function unite(geometries: Areal[]): Areal | null {
  if (geometries.length === 0) return null;
  const [first, ...rest] = geometries.map(asGeom);
  return fromClipped(polygonClipping.union(first, ...rest));
}
