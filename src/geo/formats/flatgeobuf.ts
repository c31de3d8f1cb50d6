import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { deserialize } from 'flatgeobuf/lib/mjs/geojson.js';
import type { HeaderMeta } from 'flatgeobuf/lib/mjs/header-meta.js';
import { crsFromEpsg, crsFromWkt, type Crs } from '../crs.ts';
import { BATCH, type RawFeature, type RawGeometry, type RawLayer } from './source.ts';

function crsOfHeader(h: HeaderMeta): Crs | undefined {
  if (!h.crs) return undefined;
  if ((h.crs.org ?? 'EPSG').toUpperCase() === 'EPSG' && h.crs.code > 0) {
    try {
      return crsFromEpsg(h.crs.code);
    } catch (e) {
      if (!h.crs.wkt) throw e;
    }
  }
  return h.crs.wkt ? crsFromWkt(h.crs.wkt) : undefined;
}

/**
 * Open a FlatGeobuf file, streamed through the `flatgeobuf` package's deserializer (the
 * format's reference implementation). The CRS comes from the header, which is known once the
 * first feature arrives; the header is awaited before the layer is returned.
 */
export async function openFlatGeobuf(path: string): Promise<RawLayer> {
  let header: HeaderMeta | undefined;
  const stream = Readable.toWeb(createReadStream(path)) as unknown as ReadableStream;
  const gen = deserialize(stream, { headerMetaFn: (h: HeaderMeta) => (header = h) });
  const first = await gen.next();
  const crs = header ? crsOfHeader(header) : undefined;
  async function* batches(): AsyncGenerator<RawFeature[]> {
    let batch: RawFeature[] = [];
    let i = 0;
    let r = first;
    while (!r.done) {
      const f = r.value;
      batch.push({
        id: f.id ?? i,
        properties: (f.properties ?? {}) as Record<string, unknown>,
        geometry: (f.geometry ?? null) as RawGeometry | null,
      });
      i++;
      if (batch.length === BATCH) {
        yield batch;
        batch = [];
      }
      r = await gen.next();
    }
    if (batch.length) yield batch;
  }
  return {
    format: 'flatgeobuf',
    crs,
    crsSource: crs ? 'FlatGeobuf header' : undefined,
    encoding: 'utf8',
    batches: batches(),
  };
}
