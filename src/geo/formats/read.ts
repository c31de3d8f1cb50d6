import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { GengbaoError } from '../../errors.ts';
import { parseCrs, toLonLat, type Crs, type ToLonLat } from '../crs.ts';
import { repairAreal, type Invalidity } from '../repair.ts';
import { bboxOf } from '../bbox.ts';
import { sourceBoxTest } from './index-box.ts';
import type { Areal, BBox, Feature, Ring } from '../types.ts';
import type { ByteRange } from './geojson.ts';
import type { LayerFormat, RawGeometry, RawLayer } from './source.ts';
import { mojibakeIn, normalizeEncoding } from './text.ts';
import type { ZipLimits } from './zip.ts';

export interface ReadOptions {
  /** CRS for files that declare none (`EPSG:4527` or WKT); must agree with the file's when it has one. */
  crs?: string;
  /**
   * CRS only for files that declare none, silently yielding to a declared one — for commands
   * reading several files with one option (`gengbao analyze --crs`). GeoJSON declares lon/lat
   * by RFC 7946, so it keeps it: applying a Gauss–Krüger CRS to lon/lat moved 图斑 to 0°N.
   */
  defaultCrs?: string;
  /** Text encoding of a Shapefile's DBF (overrides `.cpg` and detection). */
  encoding?: string;
  /** Which layer: a GeoPackage table, or a file name inside a zip/folder. */
  layer?: string;
  zipLimits?: Partial<ZipLimits>;
  /**
   * Keep only features whose bounding box passes this test (e.g. "touches a polygon under
   * analysis"); the others are counted as `skipped` without being validated, which is most of a
   * reference layer when only the parcels near a few thousand polygons matter.
   */
  where?: (bbox: BBox) => boolean;
  /** GeoJSON lines only: read the lines starting in [start, end) bytes (for worker threads). */
  byteRange?: ByteRange;
  /** How many rejections the report lists one by one (all are counted). Default 1000. */
  maxListed?: number;
}

export interface Rejection {
  /** 0-based position among the features parsed (records dropped unparsed by `where` are not counted). */
  index: number;
  id?: string | number;
  reason: string;
}

/** What an import did, feature by feature, for the user and the record. */
export interface ImportReport {
  file: string;
  format?: LayerFormat;
  crs?: string;
  crsSource?: string;
  encoding?: string;
  read: number;
  /** Features left out by the `where` test (not validated). */
  skipped: number;
  accepted: number;
  repaired: number;
  rejected: number;
  /** Count of each validity problem found (a repaired feature may have several). */
  problems: Partial<Record<Invalidity, number>>;
  rejections: Rejection[];
  /** true once every feature was read. */
  complete: boolean;
}

/** Features in CGCS2000 lon/lat, valid, with the report filling in as they stream. */
export interface FeatureReader extends AsyncIterable<Feature> {
  readonly report: ImportReport;
  /** The same features in batches (one await per batch instead of per feature: the fast path). */
  batches(): AsyncIterable<Feature[]>;
}

const LAYER_EXTENSIONS: Record<string, LayerFormat> = {
  '.shp': 'shapefile',
  '.geojson': 'geojson',
  '.json': 'geojson',
  '.geojsonl': 'geojsonl',
  '.geojsons': 'geojsonl',
  '.ndjson': 'geojsonl',
  '.jsonl': 'geojsonl',
  '.fgb': 'flatgeobuf',
  '.gpkg': 'geopackage',
};

/**
 * Stream the polygons of a layer file — Shapefile (loose, in a folder or zipped), GeoJSON,
 * GeoJSON lines, FlatGeobuf or GeoPackage — as valid CGCS2000 lon/lat features.
 *
 * Each feature is transformed from the file's CRS, checked for range, and made valid
 * (repaired features are counted, features with no area left are rejected with the reason;
 * nothing disappears unaccounted). A missing CRS, an unknown CRS, mixed geometry types,
 * out-of-range coordinates, a wrong encoding or a hostile zip throw a GengbaoError: the
 * caller's transaction then stores nothing.
 * @example
 * const layer = readFeatures('farmland.zip', { encoding: 'gbk' });
 * for await (const f of layer) store(f);
 * console.log(layer.report.repaired);
 */
export function readFeatures(path: string, opts: ReadOptions = {}): FeatureReader {
  const report: ImportReport = {
    file: path,
    read: 0,
    skipped: 0,
    accepted: 0,
    repaired: 0,
    rejected: 0,
    problems: {},
    rejections: [],
    complete: false,
  };
  const maxListed = opts.maxListed ?? 1000;
  const reject = (index: number, id: string | number | undefined, reason: string) => {
    report.rejected++;
    if (report.rejections.length < maxListed) report.rejections.push({ index, id, reason });
  };
  async function* batches(): AsyncGenerator<Feature[]> {
    let tmp: string | undefined;
    try {
      let file = path;
      if (extname(path).toLowerCase() === '.zip') {
        tmp = await mkdtemp(join(tmpdir(), 'gengbao-zip-'));
        await (await import('./zip.ts')).extractZip(path, tmp, opts.zipLimits);
        file = await pickLayerFile(tmp, opts.layer, path);
      } else if ((await statOrFail(path)).isDirectory())
        file = await pickLayerFile(path, opts.layer, path);
      const layer = await openLayer(file, opts);
      const { crs, source } = chooseCrs(layer, opts, path);
      report.format = layer.format;
      report.crs = crs.epsg ? `EPSG:${crs.epsg} ${crs.name}` : crs.name;
      report.crsSource = source;
      report.encoding = layer.encoding;
      const project = toLonLat(crs);
      // A file with a spatial index is read through it: only the features whose index box can
      // pass `where` are read and decoded (each still meets the test below on its own box).
      const rawBatches =
        opts.where && layer.select
          ? layer.select(sourceBoxTest(opts.where, crs, project))
          : layer.batches;
      let index = -1;
      for await (const batch of rawBatches) {
        // Rejection indexes count the features parsed; records dropped unparsed are only counted.
        report.read += batch.filtered ?? 0;
        report.skipped += batch.filtered ?? 0;
        const out: Feature[] = [];
        for (const raw of batch) {
          index++;
          report.read++;
          if (raw.skip) {
            reject(index, raw.id, raw.skip);
            continue;
          }
          if (!raw.geometry) {
            reject(index, raw.id, 'no geometry');
            continue;
          }
          const areal = asAreal(raw.geometry, index, raw.id);
          if (!areal) {
            reject(index, raw.id, 'empty geometry');
            continue;
          }
          const lonLat = crs.geographic
            ? checkInPlace(areal, project, index)
            : transform(areal, project, index);
          if (opts.where && !opts.where(bboxOf(lonLat))) {
            report.skipped++;
            continue;
          }
          const { geometry, problems } = repairAreal(lonLat);
          for (const p of problems) report.problems[p] = (report.problems[p] ?? 0) + 1;
          if (!geometry) {
            reject(
              index,
              raw.id,
              `no area left after repair (${problems.join(', ') || 'degenerate'})`,
            );
            continue;
          }
          // DBF text is checked as it is decoded; other formats arrive as Unicode that may
          // still carry garbling from an earlier wrong conversion.
          if (layer.format !== 'shapefile') refuseMojibake(raw.properties, index, path);
          if (problems.length) report.repaired++;
          report.accepted++;
          out.push({ type: 'Feature', id: raw.id, geometry, properties: raw.properties });
        }
        if (out.length) yield out;
      }
      report.complete = true;
    } catch (e) {
      // Errors about files inside a zip name the zip, not our temporary folder.
      if (tmp && e instanceof GengbaoError)
        throw new GengbaoError(e.code, e.message.replaceAll(tmp, `${path}!`), { field: e.field });
      throw e;
    } finally {
      if (tmp) await rm(tmp, { recursive: true, force: true });
    }
  }
  return {
    report,
    batches,
    async *[Symbol.asyncIterator]() {
      for await (const batch of batches()) yield* batch;
    },
  };
}

function refuseMojibake(props: Record<string, unknown>, index: number, path: string): void {
  for (const [k, v] of Object.entries(props)) {
    const bad = typeof v === 'string' ? mojibakeIn(v) : undefined;
    if (bad !== undefined) {
      throw new GengbaoError(
        'bad_input',
        `${path}: feature ${index + 1}, field ${k} holds garbled text ("${bad}"): it was converted with a wrong encoding before; fix the source data`,
        {
          field: 'encoding',
        },
      );
    }
  }
}

async function statOrFail(path: string) {
  try {
    return await stat(path);
  } catch {
    throw new GengbaoError('not_found', `${path} does not exist`, { field: 'file' });
  }
}

/** The one layer file in a folder (recursively), or the one named `layer`. */
async function pickLayerFile(
  dir: string,
  layer: string | undefined,
  shownAs: string,
): Promise<string> {
  const files = (await readdir(dir, { recursive: true }))
    .map(String)
    .filter((f) => LAYER_EXTENSIONS[extname(f).toLowerCase()] && !basename(f).startsWith('.'));
  const chosen = layer
    ? files.filter((f) => basename(f) === layer || basename(f, extname(f)) === layer || f === layer)
    : files;
  if (chosen.length === 1) return join(dir, chosen[0]);
  if (chosen.length === 0)
    throw new GengbaoError(
      'bad_input',
      `${shownAs} holds no ${layer ? `layer "${layer}"` : 'Shapefile, GeoJSON, FlatGeobuf or GeoPackage'}`,
      { field: 'file' },
    );
  throw new GengbaoError(
    'bad_input',
    `${shownAs} holds several layers (${chosen.join(', ')}); name one as the layer`,
    { field: 'layer' },
  );
}

/**
 * The reader of a file's format. Format modules load on first use: SQLite (wasm), FlatGeobuf
 * and zip support cost a second of start-up that a worker thread reading GeoJSON lines, or a
 * command reading one Shapefile, should not pay.
 */
async function openLayer(file: string, opts: ReadOptions): Promise<RawLayer> {
  const format = LAYER_EXTENSIONS[extname(file).toLowerCase()];
  switch (format) {
    case 'shapefile':
      return (await import('./shapefile.ts')).openShapefile(file, {
        encoding: opts.encoding ? normalizeEncoding(opts.encoding) : undefined,
      });
    case 'geojson':
      return (await import('./geojson.ts')).openGeoJson(file);
    case 'geojsonl':
      // Without a CRS option the lines are lon/lat (RFC 7946), so boxes can be read from bytes.
      return (await import('./geojson.ts')).openGeoJsonLines(
        file,
        opts.byteRange,
        opts.crs ? undefined : opts.where,
      );
    case 'flatgeobuf':
      return (await import('./flatgeobuf.ts')).openFlatGeobuf(file);
    case 'geopackage':
      return (await import('./geopackage.ts')).openGeoPackage(
        file,
        opts.layer && !opts.layer.includes('.') ? opts.layer : undefined,
      );
    default:
      throw new GengbaoError(
        'unsupported',
        `${basename(file)}: unknown layer format (Shapefile, zip, GeoJSON, GeoJSON lines, FlatGeobuf, GeoPackage)`,
        { field: 'file' },
      );
  }
}

/**
 * The file's CRS and where it came from; an explicit one only fills a gap (or must agree),
 * never silently overrides; a default one fills a gap only.
 */
function chooseCrs(
  layer: RawLayer,
  opts: Pick<ReadOptions, 'crs' | 'defaultCrs'>,
  path: string,
): { crs: Crs; source?: string } {
  const given = opts.crs ? parseCrs(opts.crs) : undefined;
  if (layer.crs && given && layer.crs.proj4 !== given.proj4) {
    throw new GengbaoError(
      'bad_input',
      `${path} declares ${layer.crs.name} but ${given.name} was given; remove one`,
      { field: 'crs' },
    );
  }
  if (layer.crs) return { crs: layer.crs, source: layer.crsSource };
  if (given) return { crs: given, source: 'option' };
  if (layer.format === 'geojson' || layer.format === 'geojsonl')
    return { crs: parseCrs('EPSG:4326'), source: layer.crsSource }; // RFC 7946
  if (opts.defaultCrs)
    return { crs: parseCrs(opts.defaultCrs), source: 'option (for files declaring none)' };
  throw new GengbaoError(
    'bad_input',
    layer.format === 'shapefile'
      ? `${path} has no .prj: its coordinate system is unknown; add the .prj or give the CRS explicitly (e.g. --crs EPSG:4527)`
      : `${path} declares no coordinate system; give the CRS explicitly`,
    { field: 'crs' },
  );
}

/** Polygon / MultiPolygon (or a collection of them) → Areal; anything else is a mixed layer. */
function asAreal(g: RawGeometry, index: number, id: unknown): Areal | null {
  const fail = (type: string): never => {
    throw new GengbaoError(
      'bad_input',
      `feature ${index + 1}${id !== undefined ? ` (id ${String(id)})` : ''} is a ${type}: a layer must hold polygons only (mixed geometry types)`,
      { field: 'geometry' },
    );
  };
  if (g.type === 'Polygon')
    return checkRings([g.coordinates], index)
      ? { type: 'Polygon', coordinates: g.coordinates as Ring[] }
      : null;
  if (g.type === 'MultiPolygon') {
    const polys = (g.coordinates as unknown[]) ?? [];
    if (!checkRings(polys, index)) return null;
    return polys.length ? { type: 'MultiPolygon', coordinates: polys as Ring[][] } : null;
  }
  if (g.type === 'GeometryCollection') {
    const parts = (g.geometries ?? [])
      .map((p) => asAreal(p, index, id))
      .filter((p): p is Areal => p !== null);
    const coords = parts.flatMap((p) => (p.type === 'Polygon' ? [p.coordinates] : p.coordinates));
    return coords.length ? { type: 'MultiPolygon', coordinates: coords } : null;
  }
  return fail(g.type);
}

/** Structure check: arrays of rings of [x, y] number pairs; false when empty. */
function checkRings(polys: unknown, index: number): boolean {
  const malformed = () =>
    new GengbaoError('bad_input', `feature ${index + 1} has malformed polygon coordinates`, {
      field: 'geometry',
    });
  if (!Array.isArray(polys)) throw malformed();
  let any = false;
  for (const rings of polys) {
    if (!Array.isArray(rings)) throw malformed();
    for (const ring of rings) {
      if (!Array.isArray(ring)) throw malformed();
      for (const p of ring)
        if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'number')
          throw malformed();
      if (ring.length) any = true;
    }
  }
  return any;
}

/** For lon/lat sources: the range check alone, without copying coordinates. */
function checkInPlace(g: Areal, project: ToLonLat, index: number): Areal {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  for (const rings of polys)
    for (const ring of rings)
      for (const p of ring) {
        if (!(p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90))
          transform(g, project, index);
      }
  return g;
}

function transform(g: Areal, project: ToLonLat, index: number): Areal {
  const ring = (r: Ring): Ring => r.map((p) => project(p));
  try {
    return g.type === 'Polygon'
      ? { type: 'Polygon', coordinates: g.coordinates.map(ring) }
      : { type: 'MultiPolygon', coordinates: g.coordinates.map((rs) => rs.map(ring)) };
  } catch (e) {
    if (e instanceof GengbaoError)
      throw new GengbaoError(e.code, `feature ${index + 1}: ${e.message}`, { field: e.field });
    throw e;
  }
}
