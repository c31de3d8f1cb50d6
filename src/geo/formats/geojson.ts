import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { GengbaoError } from '../../errors.ts';
import { parseCrs, type Crs } from '../crs.ts';
import type { BBox } from '../types.ts';
import type { RawBatch, RawFeature, RawGeometry, RawLayer } from './source.ts';

interface GeoJsonFeature {
  type?: string;
  id?: string | number;
  properties?: Record<string, unknown> | null;
  geometry?: RawGeometry | null;
}

function toRaw(f: GeoJsonFeature, where: string): RawFeature {
  if (!f || typeof f !== 'object' || f.type !== 'Feature')
    throw new GengbaoError('bad_input', `${where} is not a GeoJSON Feature`, { field: 'file' });
  return { id: f.id, properties: f.properties ?? {}, geometry: f.geometry ?? null };
}

/**
 * A CRS named by a (pre-RFC 7946) GeoJSON `crs` member, e.g. ArcGIS's
 * `{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4527"}}`.
 */
function crsOfMember(member: unknown): Crs | undefined {
  const name = (member as { properties?: { name?: unknown } })?.properties?.name;
  if (typeof name !== 'string') return undefined;
  if (/CRS84$/i.test(name)) return parseCrs('EPSG:4326');
  const m = /EPSG:{1,2}(?:[\d.]*:)?(\d+)$/i.exec(name);
  if (!m)
    throw new GengbaoError('unsupported', `GeoJSON crs "${name}" is not an EPSG code`, {
      field: 'crs',
    });
  return parseCrs(`EPSG:${m[1]}`);
}

/** A byte range [start, end) of a file: the lines that *start* inside it are read. */
export type ByteRange = [number, number];

/**
 * GeoJSON lines (one Feature per line, `.geojsonl` / `.geojsons` / `.ndjson`): lon/lat by
 * RFC 7946, streamed in 4 MiB chunks and split on newlines by hand (node:readline costs more
 * than the JSON parsing). With `range`, only lines starting in [start, end) are read, so worker
 * threads can share one file.
 */
export function openGeoJsonLines(
  path: string,
  range?: ByteRange,
  prefilter?: (bbox: BBox) => boolean,
): RawLayer {
  async function* batches(): AsyncGenerator<RawBatch> {
    const [start, end] = range ?? [0, Infinity];
    // Start one byte early: if that byte is a newline, the line at `start` is ours.
    const from = Math.max(0, start - 1);
    const fh = await open(path, 'r');
    try {
      let offset = from;
      let carryAt = from;
      let skipFirst = start > 0;
      let n = 0;
      // One working buffer: the unfinished last line moves to its front and the next chunk is
      // read after it (no Buffer.concat of 4 MiB per chunk); it grows only for a longer line.
      let work = Buffer.allocUnsafe(CHUNK * 2);
      let carryLength = 0;
      for (;;) {
        if (work.length - carryLength < CHUNK) {
          const bigger = Buffer.allocUnsafe(carryLength + CHUNK * 2);
          work.copy(bigger, 0, 0, carryLength);
          work = bigger;
        }
        const { bytesRead } = await fh.read(work, carryLength, CHUNK, offset);
        const buf = work.subarray(0, carryLength + bytesRead);
        const bufAt = carryAt;
        offset += bytesRead;
        const batch: RawBatch = [];
        let pos = 0;
        let stop = false;
        for (;;) {
          const nl = buf.indexOf(10, pos);
          if (nl < 0 && bytesRead > 0) break;
          const lineEnd = nl < 0 ? buf.length : nl;
          const lineAt = bufAt + pos;
          if (skipFirst) skipFirst = false;
          else if (lineAt >= end) {
            stop = true;
            break;
          } else {
            n++;
            const box = prefilter ? scanBbox(buf, pos, lineEnd) : undefined;
            if (box && !prefilter!(box)) {
              // Dropped unparsed: only counted (an object per dropped line would be garbage).
              if (!(box[0] >= -180 && box[2] <= 180 && box[1] >= -90 && box[3] <= 90)) {
                throw new GengbaoError(
                  'bad_input',
                  `${path}: line ${n}${range ? ' of the range' : ''} has coordinates outside the valid range of lon/lat (box ${box.join(', ')})`,
                  {
                    field: 'geometry',
                  },
                );
              }
              batch.filtered = (batch.filtered ?? 0) + 1;
            } else {
              const f = parseLine(buf, pos, lineEnd, path, n, lineAt);
              if (f) batch.push(toRaw(f, `line at byte ${lineAt}`));
            }
          }
          pos = lineEnd + 1;
          if (nl < 0) {
            stop = true;
            break;
          }
        }
        if (batch.length || batch.filtered) yield batch;
        if (stop || bytesRead === 0) break;
        carryLength = buf.length - pos;
        work.copy(work, 0, pos, buf.length);
        carryAt = bufAt + pos;
      }
    } finally {
      await fh.close();
    }
  }
  return { format: 'geojsonl', crsSource: 'RFC 7946 (lon/lat)', batches: batches() };
}

/** Bytes read per step from a GeoJSON-lines file. */
const CHUNK = 1 << 22;
const GEOMETRY = Buffer.from('"geometry"');
const POW10 = Array.from({ length: 400 }, (_, k) => 10 ** k);
const COORDINATES = Buffer.from('"coordinates"');

/**
 * The bounding box of a GeoJSON line's coordinates, read straight from its bytes without
 * JSON.parse: with a `prefilter`, the ~90 % of reference parcels nowhere near a polygon under
 * analysis are dropped before any object is built (JSON.parse and its garbage are most of the
 * cost of a million-parcel overlay). Padded by 1e-9° so rounding never drops a touching
 * parcel. Undefined when the line has no "coordinates" after "geometry" (it is then parsed).
 * The box returned is reused by the next call.
 */
export function scanBbox(buf: Buffer, from: number, to: number): BBox | undefined {
  const g = buf.indexOf(GEOMETRY, from);
  if (g < 0 || g >= to) return undefined;
  const c = buf.indexOf(COORDINATES, g);
  if (c < 0 || c >= to) return undefined;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  let depth = 0;
  let slot = 0;
  for (let i = c + COORDINATES.length; i < to; i++) {
    const b = buf[i];
    if (b === 0x5b) {
      depth++;
      slot = 0;
    } else if (b === 0x5d) {
      if (--depth === 0) break;
    } else if (b === 0x2c) slot++;
    else if (b === 0x2d || (b >= 0x30 && b <= 0x39)) {
      // Decimal number by hand: mantissa digits and a power of ten (exact to ~1 ulp, far inside
      // the 1e-9° padding); exponent notation, rare in coordinates, goes to Number().
      let j = i;
      const negative = b === 0x2d;
      if (negative) j++;
      let mantissa = 0;
      let decimals = 0;
      let dot = false;
      for (; j < to; j++) {
        const d = buf[j];
        if (d >= 0x30 && d <= 0x39) {
          mantissa = mantissa * 10 + (d - 0x30);
          if (dot) decimals++;
        } else if (d === 0x2e && !dot) dot = true;
        else break;
      }
      let v: number;
      if (buf[j] === 0x65 || buf[j] === 0x45) {
        let k = j + 1;
        while (k < to && ((buf[k] >= 0x30 && buf[k] <= 0x39) || buf[k] === 0x2d || buf[k] === 0x2b))
          k++;
        v = Number(buf.toString('latin1', i, k));
        j = k;
      } else v = (negative ? -mantissa : mantissa) / POW10[decimals];
      if (slot === 0) {
        if (v < minX) minX = v;
        if (v > maxX) maxX = v;
      } else if (slot === 1) {
        if (v < minY) minY = v;
        if (v > maxY) maxY = v;
      }
      i = j - 1;
    }
  }
  if (depth !== 0 || !(minX <= maxX && minY <= maxY)) return undefined;
  BOX[0] = minX - 1e-9;
  BOX[1] = minY - 1e-9;
  BOX[2] = maxX + 1e-9;
  BOX[3] = maxY + 1e-9;
  return BOX;
}

/** scanBbox's result, reused: a million parcels make no million arrays. Valid until the next call. */
const BOX: BBox = [0, 0, 0, 0];

function parseLine(
  buf: Buffer,
  from: number,
  to: number,
  path: string,
  n: number,
  at: number,
): GeoJsonFeature | undefined {
  // RFC 8142 GeoJSON text sequences start each record with RS (U+001E); blank lines are skipped.
  while (from < to && (buf[from] === 0x1e || buf[from] === 0x20 || buf[from] === 0x09)) from++;
  while (to > from && (buf[to - 1] === 0x0d || buf[to - 1] === 0x20)) to--;
  if (from === to) return undefined;
  try {
    return JSON.parse(buf.toString('utf8', from, to));
  } catch {
    throw new GengbaoError(
      'bad_input',
      `${path}: line ${at === 0 ? 1 : `${n} of the range, at byte ${at},`} is not JSON`,
      { field: 'file' },
    );
  }
}

/**
 * A GeoJSON FeatureCollection, streamed: a small scanner tracks strings and bracket depth and
 * hands each element of the top-level `features` array to `JSON.parse` on its own, so memory
 * holds one feature at a time instead of the whole collection (a million parcels as one
 * GeoJSON is ~1 GB of text). A `crs` member is honoured when it precedes `features`, as
 * GDAL and ArcGIS write it.
 */
export async function openGeoJson(path: string): Promise<RawLayer> {
  const scanner = new FeatureScanner(path);
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  const iterator = stream[Symbol.asyncIterator]();
  const pending: GeoJsonFeature[] = [];
  const decoder = new StringDecoder('utf8');
  // Read until the first feature (or the end) so the CRS member, when it precedes, is known.
  let done = false;
  while (!scanner.inFeatures && !done) {
    const r = await iterator.next();
    if (r.done) done = true;
    else scanner.feed(decoder.write(r.value as Buffer), pending);
  }
  const crs = crsOfMember(scanner.crsMember);
  async function* batches(): AsyncGenerator<RawFeature[]> {
    let n = 0;
    try {
      for (;;) {
        if (pending.length) yield pending.splice(0).map((f) => toRaw(f, `feature ${++n}`));
        if (done) break;
        const r = await iterator.next();
        if (r.done) done = true;
        else scanner.feed(decoder.write(r.value as Buffer), pending);
      }
      scanner.finish();
    } finally {
      stream.destroy();
    }
  }
  return {
    format: 'geojson',
    crs,
    crsSource: crs ? 'GeoJSON crs member' : 'RFC 7946 (lon/lat)',
    batches: batches(),
  };
}

/** Incremental splitter of `{"type":"FeatureCollection", ..., "features":[{...},{...}]}`. */
class FeatureScanner {
  private depth = 0;
  private inString = false;
  private escape = false;
  private lastKey = '';
  private stringStart = -1;
  private stringText = '';
  private featureText = '';
  private capturingFeature = false;
  private capturingCrs = false;
  private crsText = '';
  private sawRoot = false;
  private sawFeatures = false;
  inFeatures = false;
  crsMember: unknown;

  constructor(private readonly path: string) {}

  feed(chunk: string, out: GeoJsonFeature[]): void {
    let captureFrom = this.capturingFeature || this.capturingCrs ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === '\\') this.escape = true;
        else if (c === '"') {
          this.inString = false;
          if (this.depth === 1 && this.stringStart >= 0)
            this.stringText += chunk.slice(this.stringStart, i);
          if (this.depth === 1) this.lastKey = this.stringText;
        }
        continue;
      }
      if (c === '"') {
        this.inString = true;
        this.stringText = '';
        this.stringStart = i + 1;
      } else if (c === '{' || c === '[') {
        if (this.depth === 0) {
          if (c !== '{') this.fail('a GeoJSON FeatureCollection must be a JSON object');
          this.sawRoot = true;
        }
        if (this.depth === 1 && c === '[' && this.lastKey === 'features')
          this.inFeatures = this.sawFeatures = true;
        if (this.depth === 1 && c === '{' && this.lastKey === 'crs' && !this.inFeatures) {
          this.capturingCrs = true;
          captureFrom = i;
        }
        if (this.depth === 2 && this.inFeatures && c === '{') {
          this.capturingFeature = true;
          captureFrom = i;
        }
        this.depth++;
      } else if (c === '}' || c === ']') {
        this.depth--;
        if (this.depth === 2 && this.capturingFeature) {
          this.featureText += chunk.slice(captureFrom, i + 1);
          out.push(this.parse(this.featureText));
          this.featureText = '';
          this.capturingFeature = false;
          captureFrom = -1;
        } else if (this.depth === 1 && this.capturingCrs) {
          this.crsText += chunk.slice(captureFrom, i + 1);
          this.crsMember = this.parse(this.crsText);
          this.capturingCrs = false;
          captureFrom = -1;
        } else if (this.depth === 1 && this.inFeatures && c === ']') {
          this.inFeatures = false;
          this.lastKey = '';
        }
        if (this.depth < 0) this.fail('unbalanced brackets');
      }
    }
    if (this.inString && this.depth === 1 && this.stringStart >= 0) {
      this.stringText += chunk.slice(this.stringStart);
      this.stringStart = 0;
    } else this.stringStart = this.inString ? 0 : -1;
    if (this.capturingFeature) this.featureText += chunk.slice(captureFrom);
    if (this.capturingCrs) this.crsText += chunk.slice(captureFrom);
  }

  finish(): void {
    if (!this.sawRoot || this.depth !== 0 || this.inString)
      this.fail('the file ends in the middle of the JSON');
    if (!this.sawFeatures) this.fail('no "features" array (a FeatureCollection is expected)');
  }

  private parse(text: string): GeoJsonFeature {
    try {
      return JSON.parse(text);
    } catch {
      return this.fail(`bad JSON near "${text.slice(0, 60)}"`);
    }
  }

  private fail(why: string): never {
    throw new GengbaoError('bad_input', `${this.path} is not valid GeoJSON: ${why}`, {
      field: 'file',
    });
  }
}
