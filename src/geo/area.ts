// A CommonJS package: Node gives it to ES modules as one default export.
import geodesic from 'geographiclib-geodesic';
import type { Areal, Ring } from './types.ts';

/** CGCS2000 ellipsoid (EPSG:1024): a = 6378137 m, 1/f = 298.257222101 (docs/DOMAIN.md "Areas, coordinates and files"). */
export const CGCS2000_A = 6378137;
export const CGCS2000_F = 1 / 298.257222101;

/** 1 亩 = 10000/15 m². */
export const M2_PER_MU = 10000 / 15;

const { Geodesic, PolygonArea } = geodesic;
const cgcs2000 = new Geodesic.Geodesic(CGCS2000_A, CGCS2000_F);

/**
 * Unsigned ellipsoidal area of one ring in m², by GeographicLib (Karney 2013), which is what
 * the official 椭球面积 means: geodesic edges on the ellipsoid, no projection involved.
 */
function ringAreaM2(ring: Ring): number {
  const n = ring.length;
  if (n < 4) return 0;
  const poly = new PolygonArea.PolygonArea(cgcs2000, false);
  // The closing vertex repeats the first; GeographicLib closes rings itself.
  const last = ring[n - 1];
  const closed = last[0] === ring[0][0] && last[1] === ring[0][1];
  for (let i = 0; i < (closed ? n - 1 : n); i++) poly.AddPoint(ring[i][1], ring[i][0]);
  return Math.abs(poly.Compute(false, true).area ?? 0);
}

/**
 * Ellipsoidal area of a Polygon or MultiPolygon in square metres on CGCS2000: outer rings
 * minus holes, whatever their winding.
 * @example ellipsoidalAreaM2({ type: 'Polygon', coordinates: [[[112,35],[112.001,35],[112.001,35.001],[112,35]]] })
 */
export function ellipsoidalAreaM2(geometry: Areal): number {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let total = 0;
  for (const rings of polygons) {
    rings.forEach((ring, i) => {
      total += i === 0 ? ringAreaM2(ring) : -ringAreaM2(ring);
    });
  }
  return total;
}

/** Square metres to 亩, unrounded. */
export function toMu(m2: number): number {
  return m2 / M2_PER_MU;
}

/** 亩 rounded to 2 decimals, as reports show them. */
export function roundMu(mu: number): number {
  return Math.round(mu * 100) / 100;
}
