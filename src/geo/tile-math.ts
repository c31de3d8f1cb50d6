import { GengbaoError } from '../errors.ts';
import type { BBox } from './types.ts';

/** Deepest zoom served: 2^22 tiles a side is ~4 cm/px at 35° N, far below any imagery. */
export const MAX_ZOOM = 22;

/** A slippy-map tile address (z/x/y, XYZ scheme: y grows southwards). */
export interface TileAddress {
  z: number;
  x: number;
  y: number;
}

/**
 * Refuses tile addresses outside the pyramid, naming the bad coordinate.
 * @throws GengbaoError('bad_input') with field z, x or y.
 */
export function assertTile(t: TileAddress): void {
  if (!Number.isInteger(t.z) || t.z < 0 || t.z > MAX_ZOOM)
    throw new GengbaoError('bad_input', `zoom ${t.z} is outside 0..${MAX_ZOOM}`, { field: 'z' });
  const n = 2 ** t.z;
  if (!Number.isInteger(t.x) || t.x < 0 || t.x >= n)
    throw new GengbaoError('bad_input', `x ${t.x} is outside 0..${n - 1} at zoom ${t.z}`, {
      field: 'x',
    });
  if (!Number.isInteger(t.y) || t.y < 0 || t.y >= n)
    throw new GengbaoError('bad_input', `y ${t.y} is outside 0..${n - 1} at zoom ${t.z}`, {
      field: 'y',
    });
}

/** Longitude of the west edge of tile column `x` at zoom `z` (Web Mercator). */
export function tileLon(x: number, z: number): number {
  return (x / 2 ** z) * 360 - 180;
}

/** Latitude of the north edge of tile row `y` at zoom `z` (inverse Web Mercator; rows may be fractional). */
export function tileLat(y: number, z: number): number {
  const n = Math.PI - (2 * Math.PI * y) / 2 ** z;
  return (180 / Math.PI) * Math.atan(Math.sinh(n));
}

/**
 * The lon/lat box of a tile, grown by `buffer` (a fraction of the tile size) on each side so
 * that features just outside still draw their strokes across the edge.
 * @example tileBBox({ z: 0, x: 0, y: 0 }) // [-180, -85.05…, 180, 85.05…]
 */
export function tileBBox(t: TileAddress, buffer = 0): BBox {
  const w = tileLon(t.x - buffer, t.z);
  const e = tileLon(t.x + 1 + buffer, t.z);
  const n = tileLat(t.y - buffer, t.z);
  const s = tileLat(t.y + 1 + buffer, t.z);
  return [
    Math.max(w, -180),
    Math.max(s, -85.0511287798),
    Math.min(e, 180),
    Math.min(n, 85.0511287798),
  ];
}
