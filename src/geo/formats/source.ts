import type { Crs } from '../crs.ts';
import type { BBox } from '../types.ts';

/** A geometry as a file holds it, before it is checked to be polygonal. */
export interface RawGeometry {
  type: string;
  coordinates?: unknown;
  geometries?: RawGeometry[];
}

/** A feature as a format reader yields it: source CRS, any geometry type, attributes as read. */
export interface RawFeature {
  id?: string | number;
  properties: Record<string, unknown>;
  geometry: RawGeometry | null;
  /** Set by a reader when the record cannot be read at all (e.g. deleted in the DBF). */
  skip?: string;
}

export type LayerFormat = 'shapefile' | 'geojson' | 'geojsonl' | 'flatgeobuf' | 'geopackage';

/** Features of one chunk, and how many records the reader dropped unparsed by their box (ReadOptions.where). */
export type RawBatch = RawFeature[] & { filtered?: number };

/** An opened layer: its CRS as the file declares it (undefined when it declares none). */
export interface RawLayer {
  format: LayerFormat;
  crs?: Crs;
  /** Where the CRS came from, for the report (".prj", "GeoPackage srs_id 4490", "RFC 7946"…). */
  crsSource?: string;
  encoding?: string;
  /** Features in file order, in batches (a batch per chunk read, so per-feature awaits are avoided). */
  batches: AsyncIterable<RawBatch>;
  /**
   * Present when the file has a spatial index (FlatGeobuf's packed R-tree, GeoPackage's
   * R-tree): instead of `batches`, only the features whose index box — in the file's CRS —
   * passes `test`, the others counted in `filtered` without being read or decoded.
   */
  select?: (test: (box: BBox) => boolean) => AsyncIterable<RawBatch>;
}

/** Records per batch for readers that produce one record at a time. */
export const BATCH = 1024;
