import { geoJSONToTile } from '@maplibre/geojson-vt';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import type { Feature, Geometry } from 'geojson';
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

/** One feature of a tile as the store hands it over: the outline still GeoJSON text. */
export interface TileFeature {
  id: number;
  geometry: string;
  properties: Record<string, string | number>;
}

/** What a tile is encoded from: one layer's features at one address. */
export interface TileInput {
  layer: string;
  t: TileAddress;
  features: TileFeature[];
}

/**
 * The tile of `input`: outlines parsed, then `encodeMvt`. A thread function (tiles/encoder.ts):
 * parsing and encoding are the CPU of a tile that need not hold the thread answering requests,
 * and text crosses to a thread cheaper than parsed coordinate arrays would.
 */
export function encodeTile(input: TileInput): Uint8Array {
  const features: Feature[] = input.features.map((f) => ({
    type: 'Feature',
    id: f.id,
    geometry: JSON.parse(f.geometry) as Geometry,
    properties: f.properties,
  }));
  return encodeMvt({ [input.layer]: features }, input.t);
}
