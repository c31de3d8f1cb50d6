import { magicbytes } from 'flatgeobuf/lib/mjs/constants.js';
import { ColumnType } from 'flatgeobuf/lib/mjs/flat-geobuf/column-type.js';
import { GeometryType } from 'flatgeobuf/lib/mjs/flat-geobuf/geometry-type.js';
import { buildFeature } from 'flatgeobuf/lib/mjs/generic/feature.js';
import { buildHeader } from 'flatgeobuf/lib/mjs/generic/featurecollection.js';
import { parseGeometry } from 'flatgeobuf/lib/mjs/geojson/geometry.js';
import type { HeaderMeta } from 'flatgeobuf/lib/mjs/header-meta.js';
import type { Geometry as GeoJsonGeometry } from 'geojson';
import type { Feature } from '../types.ts';
import { ChunkedWriter } from './chunked-writer.ts';
import { asText, type FieldSpec } from './schema.ts';

const COLUMN_TYPE = {
  string: ColumnType.String,
  integer: ColumnType.Long,
  real: ColumnType.Double,
  boolean: ColumnType.Bool,
} as const;

/**
 * Write polygons as FlatGeobuf (CGCS2000, EPSG:4490) with the reference library's header and
 * feature encoders. Its one-call `serialize` takes column types from the first feature's
 * values (a null there makes a text column; integers become doubles), so the header is built
 * here from our schema and the features are streamed after it. Mixed Polygon/MultiPolygon
 * layers are written as MultiPolygon. No spatial index: readers scan (GDAL reads it either way).
 */
export async function writeFlatGeobuf(
  path: string,
  features: Feature[],
  fields: FieldSpec[],
): Promise<string[]> {
  const multi = features.some((f) => f.geometry?.type === 'MultiPolygon');
  const header: HeaderMeta = {
    geometryType: multi ? GeometryType.MultiPolygon : GeometryType.Polygon,
    columns: fields.map((f) => ({
      name: f.name,
      type: COLUMN_TYPE[f.type],
      title: null,
      description: null,
      width: -1,
      precision: -1,
      scale: -1,
      nullable: true,
      unique: false,
      primary_key: false,
    })),
    envelope: null,
    featuresCount: features.length,
    indexNodeSize: 0,
    crs: null,
    title: null,
    description: null,
    metadata: null,
  };
  const out = await ChunkedWriter.create(path);
  try {
    await out.write(Buffer.from(magicbytes));
    await out.write(Buffer.from(buildHeader(header, 4490)));
    for (const f of features) {
      let g = f.geometry as GeoJsonGeometry;
      if (multi && g.type === 'Polygon') g = { type: 'MultiPolygon', coordinates: [g.coordinates] };
      const props: Record<string, unknown> = {};
      for (const fd of fields) {
        const v = f.properties?.[fd.name];
        props[fd.name] =
          v === null || v === undefined
            ? null
            : fd.type === 'string'
              ? asText(v)
              : fd.type === 'boolean'
                ? Boolean(v)
                : Number(v);
      }
      await out.write(Buffer.from(buildFeature(parseGeometry(g as never), props as never, header)));
    }
  } finally {
    await out.close();
  }
  return [path];
}
