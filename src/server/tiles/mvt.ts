import { geoJSONToTile } from '@maplibre/geojson-vt';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import type { Feature } from 'geojson';
import type { TileAddress } from '../../geo/tile-math.ts';

/** Tile extent and buffer in tile units: MapLibre's defaults (4096 and 64). */
const EXTENT = 4096;
const BUFFER = 64;

/**
 * Encodes features (lon/lat GeoJSON) as one Mapbox Vector Tile with one layer per key.
 * `geoJSONToTile` clips and simplifies for this one tile without building a tile index —
 * the features were already picked by the tile's box, so an index would be wasted work.
 * Empty layers are left out; an empty tile is a zero-byte body, which MapLibre accepts.
 */
export function encodeMvt(layers: Record<string, Feature[]>, t: TileAddress): Uint8Array {
  const tiles: Record<string, ReturnType<typeof geoJSONToTile>> = {};
  for (const [name, features] of Object.entries(layers)) {
    if (!features.length) continue;
    const tile = geoJSONToTile({ type: 'FeatureCollection', features }, t.z, t.x, t.y, {
      extent: EXTENT,
      buffer: BUFFER,
      clip: true,
    });
    if (tile && tile.features.length) tiles[name] = tile;
  }
  if (!Object.keys(tiles).length) return new Uint8Array(0);
  return fromGeojsonVt(tiles, { version: 2, extent: EXTENT });
}
