import { createWriteStream } from 'node:fs';
import { extname } from 'node:path';
import { once } from 'node:events';
import { GengbaoError } from '../../errors.ts';
import type { Feature } from '../types.ts';
import { writeFlatGeobuf } from './flatgeobuf-write.ts';
import { writeGeoPackage } from './geopackage-write.ts';
import { inferFields, type FieldSpec } from './schema.ts';
import { writeShapefile } from './shapefile-write.ts';
import { writeCsv, writeXlsx } from './tabular-write.ts';
import type { TextEncoding } from './text.ts';

export type ExportFormat =
  'geojson' | 'geojsonl' | 'shapefile' | 'geopackage' | 'flatgeobuf' | 'csv' | 'xlsx';

export interface WriteOptions {
  /** Default: from the file extension (.geojson .geojsonl .shp .gpkg .fgb .csv .xlsx). */
  format?: ExportFormat;
  /** Columns and their types; default: inferred from the features. */
  fields?: FieldSpec[];
  /** Shapefile DBF text encoding (default GBK). */
  encoding?: TextEncoding;
  /** GeoPackage table / xlsx sheet name. */
  layer?: string;
  /** Timestamp written into file headers (DBF date, GeoPackage last_change); default the epoch, so output is reproducible. */
  now?: Date;
}

const BY_EXTENSION: Record<string, ExportFormat> = {
  '.geojson': 'geojson',
  '.json': 'geojson',
  '.geojsonl': 'geojsonl',
  '.geojsons': 'geojsonl',
  '.shp': 'shapefile',
  '.gpkg': 'geopackage',
  '.fgb': 'flatgeobuf',
  '.csv': 'csv',
  '.xlsx': 'xlsx',
};

/** The export format of a path, or a GengbaoError listing the ones we write. */
export function exportFormatOf(path: string): ExportFormat {
  const f = BY_EXTENSION[extname(path).toLowerCase()];
  if (!f)
    throw new GengbaoError(
      'bad_input',
      `${path}: unknown export format (use .geojson, .geojsonl, .shp, .gpkg, .fgb, .csv or .xlsx)`,
      { field: 'out' },
    );
  return f;
}

/**
 * Write CGCS2000 lon/lat polygons with their attributes in any export format; returns the
 * files written. GeoJSON streams; the others hold the features in memory (an export is one
 * period's polygons, not a reference layer).
 * @example await writeFeatures('out/2025-06.shp', features) // .shp .shx .dbf (GBK) .cpg .prj
 */
export async function writeFeatures(
  path: string,
  features: Iterable<Feature> | AsyncIterable<Feature>,
  opts: WriteOptions = {},
): Promise<string[]> {
  const format = opts.format ?? exportFormatOf(path);
  if (format === 'geojson' || format === 'geojsonl')
    return writeGeoJson(path, features, format === 'geojsonl');
  const all: Feature[] = [];
  for await (const f of features) all.push(f);
  const fields = opts.fields ?? inferFields(all);
  switch (format) {
    case 'shapefile':
      return writeShapefile(path.replace(/\.shp$/i, ''), all, fields, {
        encoding: opts.encoding,
        now: opts.now,
      });
    case 'geopackage':
      return writeGeoPackage(path, all, fields, { layer: opts.layer, now: opts.now });
    case 'flatgeobuf':
      return writeFlatGeobuf(path, all, fields);
    case 'csv':
      return writeCsv(path, all, fields);
    case 'xlsx':
      return writeXlsx(path, all, fields, { sheet: opts.layer, now: opts.now });
  }
}

async function writeGeoJson(
  path: string,
  features: Iterable<Feature> | AsyncIterable<Feature>,
  lines: boolean,
): Promise<string[]> {
  const out = createWriteStream(path);
  const put = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  let first = true;
  if (!lines) await put('{"type":"FeatureCollection","features":[\n');
  for await (const f of features) {
    const text = JSON.stringify({
      type: 'Feature',
      ...(f.id !== undefined ? { id: f.id } : {}),
      properties: f.properties ?? {},
      geometry: f.geometry,
    });
    await put(lines ? `${text}\n` : `${first ? '' : ',\n'}${text}`);
    first = false;
  }
  if (!lines) await put('\n]}\n');
  out.end();
  await once(out, 'finish');
  return [path];
}
