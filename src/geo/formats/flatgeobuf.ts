import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import * as flatbuffers from 'flatbuffers';
import { magicbytes, SIZE_PREFIX_LEN } from 'flatgeobuf/lib/mjs/constants.js';
import { Feature as FgbFeature } from 'flatgeobuf/lib/mjs/flat-geobuf/feature.js';
import { fromFeature } from 'flatgeobuf/lib/mjs/geojson/feature.js';
import { fromByteBuffer, type HeaderMeta } from 'flatgeobuf/lib/mjs/header-meta.js';
import {
  calcTreeSize,
  generateLevelBounds,
  NODE_ITEM_BYTE_LEN,
} from 'flatgeobuf/lib/mjs/packedrtree.js';
import { GengbaoError } from '../../errors.ts';
import { crsFromEpsg, crsFromWkt, type Crs } from '../crs.ts';
import type { BBox } from '../types.ts';
import {
  BATCH,
  type RawBatch,
  type RawFeature,
  type RawGeometry,
  type RawLayer,
} from './source.ts';

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

/** Bytes read from the file in one go when nearby pieces are gathered (index nodes, features). */
const READ_SPAN = 4 << 20;
/**
 * Pieces closer than this are read together: one read of the gap costs less than two reads.
 * Measured on bench:overlay (1,000,000 parcels, 10 % near a 图斑, spread over the layer): with
 * 64 KiB nearly every block holds a wanted feature, so the features are read whole in ~50 reads,
 * and decoding 10 % of them is the saving; a 4 KiB gap read 44 % of the bytes in 11,000 reads
 * for twice the CPU time (a read from the page cache is cheap, each awaited read is not).
 */
const READ_GAP = 64 << 10;

/**
 * Open a FlatGeobuf file. The header is read directly; the features then come either all, in
 * file order, through the `flatgeobuf` package's stream deserializer (the format's reference
 * implementation), or — when the file has a packed Hilbert R-tree and the caller only wants the
 * features whose box passes a test — through `select`, which walks the index and reads and
 * decodes only those features' byte ranges.
 */
export async function openFlatGeobuf(path: string): Promise<RawLayer> {
  const fh = await open(path, 'r');
  let head: { header: HeaderMeta; headerEnd: number; size: number };
  try {
    head = await readHeader(fh, path);
  } finally {
    await fh.close();
  }
  const { header, headerEnd, size } = head;
  const crs = crsOfHeader(header);
  async function* all(): AsyncGenerator<RawFeature[]> {
    // The stream deserializer brings the package's HTTP and zstd readers along: loaded only
    // for files read whole, which costs a read through the index half a second less start-up.
    const { deserialize } = await import('flatgeobuf/lib/mjs/geojson.js');
    const stream = Readable.toWeb(createReadStream(path)) as unknown as ReadableStream;
    let batch: RawFeature[] = [];
    let i = 0;
    for await (const f of deserialize(stream)) {
      batch.push(rawOf(f, i++));
      if (batch.length === BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  }
  const indexed = header.indexNodeSize >= 2 && header.featuresCount > 0;
  return {
    format: 'flatgeobuf',
    crs,
    crsSource: crs ? 'FlatGeobuf header' : undefined,
    encoding: 'utf8',
    batches: all(),
    select: indexed ? (test) => select(path, header, headerEnd, size, test) : undefined,
  };
}

function rawOf(f: { id?: string | number; properties?: unknown; geometry?: unknown }, i: number) {
  return {
    id: f.id ?? i,
    properties: (f.properties ?? {}) as Record<string, unknown>,
    geometry: (f.geometry ?? null) as RawGeometry | null,
  };
}

async function readHeader(fh: FileHandle, path: string) {
  const bad = (why: string) =>
    new GengbaoError(
      'bad_input',
      `${path} 不是有效的 FlatGeobuf 文件（${why}）/ is not a valid FlatGeobuf file (${why})`,
      {
        field: 'file',
      },
    );
  const { size } = await fh.stat();
  const start = Buffer.alloc(magicbytes.length + SIZE_PREFIX_LEN);
  await fh.read(start, 0, start.length, 0);
  if (!magicbytes.subarray(0, 3).every((v, i) => start[i] === v)) throw bad('no magic bytes');
  const headerLength = start.readUInt32LE(magicbytes.length);
  const headerEnd = start.length + headerLength;
  if (headerLength < 8 || headerEnd > size) throw bad('bad header size');
  const bytes = new Uint8Array(SIZE_PREFIX_LEN + headerLength);
  await fh.read(bytes, 0, bytes.length, magicbytes.length);
  return { header: fromByteBuffer(new flatbuffers.ByteBuffer(bytes)), headerEnd, size };
}

/**
 * The features whose index box passes `test`, in file order; every feature left out is counted
 * in a batch's `filtered` without its bytes being read. The walk goes down the tree a level at
 * a time (the packed tree stores each level contiguously, root first, leaves last), reading only
 * the children of nodes that passed, then reads the chosen features' byte ranges, gathering
 * nearby ones into one positional read.
 */
async function* select(
  path: string,
  header: HeaderMeta,
  treeStart: number,
  size: number,
  test: (box: BBox) => boolean,
): AsyncGenerator<RawBatch> {
  const count = header.featuresCount;
  const nodeSize = header.indexNodeSize;
  const featuresStart = treeStart + calcTreeSize(count, nodeSize);
  const featuresEnd = size - featuresStart;
  if (featuresStart > size)
    throw new GengbaoError('bad_input', `${path} is truncated (FlatGeobuf index)`, {
      field: 'file',
    });
  // Level bounds as node positions in the tree; levels[0] are the leaves, the last the root.
  const levels = generateLevelBounds(count, nodeSize);
  const fh = await open(path, 'r');
  try {
    const box: BBox = [0, 0, 0, 0];
    const nodeBox = (v: DataView, at: number) => {
      box[0] = v.getFloat64(at, true);
      box[1] = v.getFloat64(at + 8, true);
      box[2] = v.getFloat64(at + 16, true);
      box[3] = v.getFloat64(at + 24, true);
      return box;
    };
    // Node ranges [start, end) wanted at the current level, ascending.
    let wanted: Array<[number, number]> = [[0, 1]];
    for (let level = levels.length - 1; level > 0; level--) {
      const childEnd = levels[level - 1][1];
      const next: Array<[number, number]> = [];
      for await (const { first, view, ranges } of readNodes(fh, treeStart, wanted, path)) {
        for (const [s, e] of ranges)
          for (let n = s; n < e; n++) {
            const at = (n - first) * NODE_ITEM_BYTE_LEN;
            if (!test(nodeBox(view, at))) continue;
            const child = Number(view.getBigUint64(at + 32, true));
            const end = Math.min(child + nodeSize, childEnd);
            const last = next[next.length - 1];
            if (last && last[1] === child) last[1] = end;
            else next.push([child, end]);
          }
      }
      wanted = next;
    }
    // Leaves: each passing one's feature offset, and its end from the next leaf's offset (one
    // node more is read after each range for that; the last leaf's feature ends the file).
    const [leafStart, leafEnd] = levels[0];
    const starts: number[] = [];
    const ends: number[] = [];
    const ids: number[] = [];
    for await (const { first, view, ranges, end: bufEnd } of readNodes(
      fh,
      treeStart,
      wanted,
      path,
      leafEnd,
    ))
      for (const [s, e] of ranges)
        for (let n = s; n < e; n++) {
          const at = (n - first) * NODE_ITEM_BYTE_LEN;
          if (!test(nodeBox(view, at))) continue;
          const offset = Number(view.getBigUint64(at + 32, true));
          // A next offset not after this one (a file not written in index order) leaves the end
          // unknown: the feature's own length prefix then says it.
          const next =
            n + 1 >= leafEnd
              ? featuresEnd
              : n + 1 < bufEnd
                ? Number(view.getBigUint64(at + NODE_ITEM_BYTE_LEN + 32, true))
                : -1;
          starts.push(offset);
          ends.push(next > offset ? next : -1);
          ids.push(n - leafStart);
        }
    yield* readChosen(fh, path, header, featuresStart, { starts, ends, ids }, count);
  } finally {
    await fh.close();
  }
}

/**
 * Read node ranges (ascending, in node positions) in as few positional reads as the gaps
 * allow. `leafEnd`, for the leaf level, has one node more read past each range (bounded by it).
 */
async function* readNodes(
  fh: FileHandle,
  treeStart: number,
  wanted: Array<[number, number]>,
  path: string,
  leafEnd?: number,
): AsyncGenerator<{ first: number; end: number; view: DataView; ranges: Array<[number, number]> }> {
  const scratch = scratchBuffer();
  const gapNodes = Math.ceil(READ_GAP / NODE_ITEM_BYTE_LEN);
  const spanNodes = Math.ceil(READ_SPAN / NODE_ITEM_BYTE_LEN);
  let i = 0;
  while (i < wanted.length) {
    const first = wanted[i][0];
    let j = i + 1;
    while (
      j < wanted.length &&
      wanted[j][0] - wanted[j - 1][1] <= gapNodes &&
      wanted[j][1] - first <= spanNodes
    )
      j++;
    const last = wanted[j - 1][1];
    const end = leafEnd === undefined ? last : Math.min(last + 1, leafEnd);
    const buf = scratch((end - first) * NODE_ITEM_BYTE_LEN);
    await readFully(fh, buf, treeStart + first * NODE_ITEM_BYTE_LEN, path);
    yield {
      first,
      end,
      view: new DataView(buf.buffer, buf.byteOffset, buf.length),
      ranges: wanted.slice(i, j),
    };
    i = j;
  }
}

/**
 * One read buffer reused for every read of a walk (nothing decoded keeps a view of it: each
 * feature is copied before decoding) rather than a fresh one of up to 4 MiB per read.
 */
function scratchBuffer(): (n: number) => Buffer {
  let buf = Buffer.alloc(0);
  return (n) => {
    if (buf.length < n) buf = Buffer.allocUnsafe(Math.max(n, READ_SPAN));
    return buf.subarray(0, n);
  };
}

async function readFully(fh: FileHandle, buf: Buffer, position: number, path: string) {
  let done = 0;
  while (done < buf.length) {
    const { bytesRead } = await fh.read(buf, done, buf.length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  if (done < buf.length)
    throw new GengbaoError('bad_input', `${path} 不完整 / is truncated (FlatGeobuf)`, {
      field: 'file',
    });
}

/**
 * Decode the chosen features (offsets relative to the features section, ascending as the
 * index gives them in a file written in its order), in batches, each with the count of
 * features left out since the previous one.
 */
async function* readChosen(
  fh: FileHandle,
  path: string,
  header: HeaderMeta,
  featuresStart: number,
  chosen: { starts: number[]; ends: number[]; ids: number[] },
  count: number,
): AsyncGenerator<RawBatch> {
  const { starts, ends, ids } = chosen;
  const scratch = scratchBuffer();
  let batch: RawBatch = [];
  let lastId = -1;
  let filtered = 0;
  const flush = () => {
    const out = batch;
    out.filtered = filtered;
    batch = [];
    filtered = 0;
    return out;
  };
  let i = 0;
  while (i < starts.length) {
    // Gather following features that are near and whose ends are known into one read.
    let j = i + 1;
    if (ends[i] >= 0)
      while (
        j < starts.length &&
        ends[j] >= 0 &&
        starts[j] >= ends[j - 1] &&
        starts[j] - ends[j - 1] <= READ_GAP &&
        ends[j] - starts[i] <= READ_SPAN
      )
        j++;
    const from = starts[i];
    const to = ends[i] >= 0 ? ends[j - 1] : from + SIZE_PREFIX_LEN;
    const buf = scratch(to - from);
    await readFully(fh, buf, featuresStart + from, path);
    for (let k = i; k < j; k++) {
      let at = starts[k] - from;
      let bytes: Buffer = buf;
      const length = bytes.readUInt32LE(at);
      if (at + SIZE_PREFIX_LEN + length > buf.length) {
        bytes = Buffer.allocUnsafe(SIZE_PREFIX_LEN + length);
        await readFully(fh, bytes, featuresStart + starts[k], path);
        at = 0;
      }
      filtered += ids[k] - lastId - 1;
      lastId = ids[k];
      batch.push(decode(bytes, at, length, ids[k], header, path));
      if (batch.length === BATCH) yield flush();
    }
    i = j;
  }
  filtered += count - lastId - 1;
  yield flush();
}

/**
 * One size-prefixed Feature flatbuffer → a raw feature, by the package's own decoder. Its
 * coordinates come out as typed-array views, which need 8-byte alignment that a feature's place
 * in the file does not give: it is copied into a buffer of its own first, as the package's
 * readers do.
 */
function decode(
  buf: Buffer,
  at: number,
  length: number,
  id: number,
  header: HeaderMeta,
  path: string,
): RawFeature {
  const aligned = new Uint8Array(SIZE_PREFIX_LEN + length);
  aligned.set(buf.subarray(at + SIZE_PREFIX_LEN, at + SIZE_PREFIX_LEN + length), SIZE_PREFIX_LEN);
  try {
    const feature = FgbFeature.getSizePrefixedRootAsFeature(new flatbuffers.ByteBuffer(aligned));
    return rawOf(fromFeature(id, feature, header), id);
  } catch (e) {
    throw new GengbaoError(
      'bad_input',
      `${path}: 第 ${id + 1} 个要素无法解码 / feature ${id + 1} cannot be decoded (${(e as Error).message})`,
      { field: 'file' },
    );
  }
}
