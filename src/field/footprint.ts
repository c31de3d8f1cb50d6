import type { Polygon } from '../geo/types.ts';

/**
 * A square of `sideM` metres centred on a reported point: the provisional outline of a building
 * reported by position only (patrol, tip, camera), to be redrawn at triage or on later imagery.
 * Metres to degrees on the sphere of the CGCS2000 semi-major axis: for a few tens of metres the
 * error is far below GPS accuracy.
 */
export function pointFootprint(lon: number, lat: number, sideM: number): Polygon {
  const dLat = (sideM / 2 / 6378137) * (180 / Math.PI);
  const dLon = dLat / Math.cos((lat * Math.PI) / 180);
  const r = (n: number) => Math.round(n * 1e7) / 1e7;
  return {
    type: 'Polygon',
    coordinates: [
      [
        [r(lon - dLon), r(lat - dLat)],
        [r(lon + dLon), r(lat - dLat)],
        [r(lon + dLon), r(lat + dLat)],
        [r(lon - dLon), r(lat + dLat)],
        [r(lon - dLon), r(lat - dLat)],
      ],
    ],
  };
}
