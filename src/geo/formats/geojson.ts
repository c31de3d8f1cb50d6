import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { StringDecoder } from 'node:string_decoder';
import { GengbaoError } from '../../errors.ts';
import { parseCrs, type Crs } from '../crs.ts';
import type { RawFeature, RawGeometry, RawLayer } from './source.ts';

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

/**
 * GeoJSON lines (one Feature per line, `.geojsonl` / `.geojsons` / `.ndjson`): lon/lat by
 * RFC 7946, streamed line by line.
 */
export function openGeoJsonLines(path: string): RawLayer {
  async function* features(): AsyncGenerator<RawFeature> {
    const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
    let n = 0;
    for await (const line of lines) {
      n++;
      // RFC 8142 GeoJSON text sequences start each record with RS (U+001E).
      const trimmed = line.trim();
      const t = trimmed.charCodeAt(0) === 0x1e ? trimmed.slice(1) : trimmed;
      if (t === '') continue;
      let f: GeoJsonFeature;
      try {
        f = JSON.parse(t);
      } catch {
        throw new GengbaoError('bad_input', `${path}: line ${n} is not JSON`, { field: 'file' });
      }
      yield toRaw(f, `line ${n}`);
    }
  }
  return { format: 'geojsonl', crsSource: 'RFC 7946 (lon/lat)', features: features() };
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
  async function* features(): AsyncGenerator<RawFeature> {
    let n = 0;
    try {
      for (;;) {
        while (pending.length) yield toRaw(pending.shift()!, `feature ${++n}`);
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
    features: features(),
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
