import { ellipsoidalAreaM2 } from '../../geo/area.ts';
import type { Areal } from '../../geo/types.ts';

/** Ellipsoidal areas of many geometries: the thread-side half of `polygons.recompute-areas`. */
export function areasOf(geometries: Areal[]): number[] {
  return geometries.map(ellipsoidalAreaM2);
}
