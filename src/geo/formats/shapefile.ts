import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { GengbaoError } from '../../errors.ts';
import { crsFromWkt } from '../crs.ts';
import { pointInRing, signedRingArea } from '../repair.ts';
import type { Position, Ring } from '../types.ts';
import { ByteReader } from './byte-reader.ts';
import { openDbf } from './dbf.ts';
import { BATCH, type RawFeature, type RawGeometry, type RawLayer } from './source.ts';
import { normalizeEncoding, type TextEncoding } from './text.ts';

/** ESRI shape types (Shapefile Technical Description, 1998, table 1). */
const SHAPE_NAMES: Record<number, string> = {
  0: 'Null',
  1: 'Point',
  3: 'PolyLine',
  5: 'Polygon',
  8: 'MultiPoint',
  11: 'PointZ',
  13: 'PolyLineZ',
  15: 'PolygonZ',
  18: 'MultiPointZ',
  21: 'PointM',
  23: 'PolyLineM',
  25: 'PolygonM',
  28: 'MultiPointM',
  31: 'MultiPatch',
};
const POLYGON_TYPES = new Set([5, 15, 25]);

/** The sibling file of a Shapefile with extension `ext`, whatever its case (.DBF, .Prj…). */
export function sibling(shpPath: string, ext: string): string | undefined {
  const dir = dirname(shpPath);
  const stem = basename(shpPath, extname(shpPath)).toLowerCase();
  const hit = readdirSync(dir).find((f) => f.toLowerCase() === `${stem}.${ext}`);
  return hit ? join(dir, hit) : undefined;
}

/**
 * Open a Shapefile (.shp + .dbf, optional .prj and .cpg) for streaming. Written by hand rather
 * than with npm `shapefile` (unmaintained since 2019): that reader decodes DBF text itself, so
 * the raw bytes needed to detect GBK/UTF-8 and refuse mojibake are gone before we see them.
 * The formats are small and fixed (ESRI 1998; dBASE III).
 */
export async function openShapefile(
  shpPath: string,
  opts: { encoding?: TextEncoding } = {},
): Promise<RawLayer> {
  const dbfPath = sibling(shpPath, 'dbf');
  if (!dbfPath)
    throw new GengbaoError(
      'bad_input',
      `${basename(shpPath)} has no .dbf beside it (a Shapefile needs .shp, .shx and .dbf)`,
      { field: 'file' },
    );
  const prjPath = sibling(shpPath, 'prj');
  const cpgPath = sibling(shpPath, 'cpg');
  const crs = prjPath ? crsFromWkt(readFileSync(prjPath, 'utf8')) : undefined;
  const declared = opts.encoding
    ? { encoding: opts.encoding, source: 'option' as const }
    : cpgPath && readFileSync(cpgPath, 'utf8').trim() !== ''
      ? { encoding: normalizeEncoding(readFileSync(cpgPath, 'utf8')), source: 'cpg' as const }
      : undefined;
  const dbf = await openDbf(dbfPath, declared);
  const shp = await ByteReader.open(shpPath);
  try {
    const header = await shp.readExactly(100, 'SHP header');
    if (header.readInt32BE(0) !== 9994)
      throw new GengbaoError(
        'bad_input',
        `${basename(shpPath)} is not a Shapefile (bad file code)`,
        { field: 'file' },
      );
    const shapeType = header.readInt32LE(32);
    if (!POLYGON_TYPES.has(shapeType) && shapeType !== 0) {
      throw new GengbaoError(
        'bad_input',
        `${basename(shpPath)} holds ${SHAPE_NAMES[shapeType] ?? `shape type ${shapeType}`} features, not polygons`,
        {
          field: 'geometry',
        },
      );
    }
  } catch (e) {
    await Promise.all([shp.close(), dbf.close()]);
    throw e;
  }
  async function* batches(): AsyncGenerator<RawFeature[]> {
    let batch: RawFeature[] = [];
    try {
      for (let i = 0; ; i++) {
        const rh = await shp.read(8);
        if (rh.length === 0) break;
        if (rh.length < 8)
          throw new GengbaoError(
            'bad_input',
            `${basename(shpPath)} is truncated (record ${i + 1})`,
            { field: 'file' },
          );
        const content = await shp.readExactly(rh.readInt32BE(4) * 2, `record ${i + 1}`);
        const props = await dbf.next();
        if (props === null)
          throw new GengbaoError(
            'bad_input',
            `${basename(shpPath)} has more shapes than its .dbf has records (${i})`,
            { field: 'file' },
          );
        if (props === 'deleted') {
          batch.push({ id: i, properties: {}, geometry: null, skip: 'deleted in the DBF' });
        } else batch.push({ id: i, properties: props, geometry: parseShape(content, i) });
        if (batch.length === BATCH) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
    } finally {
      await Promise.all([shp.close(), dbf.close()]);
    }
  }
  return {
    format: 'shapefile',
    crs,
    crsSource: prjPath ? '.prj' : undefined,
    encoding: `${dbf.encoding} (${dbf.encodingSource})`,
    batches: batches(),
  };
}

/** One shape record's content → a GeoJSON geometry (Polygon or MultiPolygon), or null. */
function parseShape(b: Buffer, index: number): RawGeometry | null {
  const type = b.readInt32LE(0);
  if (type === 0) return null;
  if (!POLYGON_TYPES.has(type)) return { type: SHAPE_NAMES[type] ?? `shape type ${type}` };
  const numParts = b.readInt32LE(36);
  const numPoints = b.readInt32LE(40);
  if (44 + numParts * 4 + numPoints * 16 > b.length)
    throw new GengbaoError(
      'bad_input',
      `shape ${index + 1} is corrupt (counts exceed the record)`,
      { field: 'geometry' },
    );
  const pointsAt = 44 + numParts * 4;
  const rings: Ring[] = [];
  for (let p = 0; p < numParts; p++) {
    const start = b.readInt32LE(44 + p * 4);
    const end = p + 1 < numParts ? b.readInt32LE(44 + (p + 1) * 4) : numPoints;
    const ring: Position[] = [];
    for (let k = start; k < end; k++)
      ring.push([b.readDoubleLE(pointsAt + k * 16), b.readDoubleLE(pointsAt + k * 16 + 8)]);
    rings.push(ring);
  }
  return assemblePolygons(rings);
}

/**
 * Shapefile polygons are a flat list of rings: outer rings clockwise, holes counter-clockwise
 * (ESRI 1998, p. 8). Each hole goes to the smallest outer ring containing it; a lone hole with
 * no shell becomes a shell, so nothing is lost (the repair step then judges validity).
 */
export function assemblePolygons(rings: Ring[]): RawGeometry {
  const shells: Ring[][] = [];
  const holes: Ring[] = [];
  for (const r of rings) {
    if (signedRingArea(r) <= 0) shells.push([r]);
    else holes.push(r);
  }
  for (const h of holes) {
    let best: Ring[] | undefined;
    let bestArea = Infinity;
    for (const s of shells) {
      const a = Math.abs(signedRingArea(s[0]));
      if (a < bestArea && h.some((p) => pointInRing(p, s[0]))) {
        best = s;
        bestArea = a;
      }
    }
    if (best) best.push(h);
    else shells.push([h]);
  }
  return shells.length === 1
    ? { type: 'Polygon', coordinates: shells[0] }
    : { type: 'MultiPolygon', coordinates: shells };
}
