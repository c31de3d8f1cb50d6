/**
 * I/O: a direct block reader for local, little-endian, tiled or stripped GeoTIFFs that are
 * uncompressed, DEFLATE or LZW with no or horizontal predictor. It takes the block offsets from
 * the header, reads blocks with positional reads, inflates them with node:zlib (LZW: lzw.ts), undoes the
 * predictor and copies whole rows into Float32 windows. geotiff.js assembles windows one
 * sample at a time through a DataView, which was measured as the main cost of a decode (a 4096²
 * 4-band UInt16 DEFLATE GeoTIFF: 5.0 s with pako, 2.8 s with node:zlib, 2.5 s uncompressed,
 * GDAL 1.0 s; so inflate is not the main cost); this path does the same work with typed-array loops. Anything else (other
 * compressions, floating-point predictor, big-endian, remote files) keeps using geotiff.js.
 */
import { openSync, readSync, closeSync } from 'node:fs';
import { inflateExact } from './inflate.ts';
import { lzwDecode } from './lzw.ts';
import type { GeoTIFFImage } from 'geotiff';
import type { PixelWindow } from './grid.ts';

type Ctor =
  Uint8ArrayConstructor | Uint16ArrayConstructor | Int16ArrayConstructor | Float32ArrayConstructor;

export interface BlockReader {
  /**
   * Read samples (0-based) over a window as Float32 arrays, one per sample; `into[k]`, when it
   * has the window's size, is filled and returned instead of a new array.
   */
  read(samples: number[], w: PixelWindow, into?: Float32Array[]): Float32Array[];
  /**
   * The inflated block (samples interleaved) of a window that starts at a block's corner and
   * lies inside it, for a pixel-interleaved 4-sample UInt16 image; its rows are `stride`
   * pixels apart. With `differenced`, TIFF's horizontal predictor is left in place: each value
   * is its sample's difference from the pixel before it in the row (modulo 2^16), and the
   * consumer sums along the row, in the pass it makes anyway (classify-interleaved.ts), which
   * spares a pass over the block here. Valid until this reader decodes again. Undefined
   * otherwise.
   */
  readBlock(w: PixelWindow): InterleavedBlock | undefined;
  /**
   * Keep the decoded blocks of about `rows` pixel rows of the image's whole width (at most
   * RETAIN_MAX bytes; the least recently read dropped first) for `read`: windows read with a
   * margin (the learned classifier's context) share their edge blocks with their neighbours,
   * and each 512² tile of a tiled scene was decoded up to nine times, once for each window
   * it touches. 0 (the default) keeps none. The values read are the same either way.
   */
  retain(rows: number): void;
  /** Whether readBlock can serve this image at all (pixel-interleaved 4-sample UInt16). */
  interleaved4: boolean;
  close(): void;
}

/** What readBlock serves. */
export interface InterleavedBlock {
  data: Uint16Array;
  stride: number;
  differenced: boolean;
}

type IntSamples = Uint8Array | Uint16Array | Int16Array;

/** The most bytes of decoded blocks one reader keeps (retain). */
const RETAIN_MAX = 256 * 1024 * 1024;

/**
 * Horizontal differencing undone in place (TIFF 6.0 §14): each value adds the one `per` places
 * before it in the row; storing into the integer typed array wraps modulo 2^bits as the format
 * wants. A top-level function of one array type per run keeps V8's loop monomorphic, which
 * made it several times faster than the same loop inside the decode closure.
 */
function undoHorizontalPredictor(a: IntSamples, rows: number, rowLen: number, per: number): void {
  if (a instanceof Uint16Array && per % 2 === 0 && a.byteOffset % 4 === 0) {
    undoPredictorPairs(
      new Uint32Array(a.buffer, a.byteOffset, (rows * rowLen) >> 1),
      rows,
      rowLen >> 1,
      per >> 1,
    );
    return;
  }
  for (let r = 0; r < rows; r++) {
    const end = (r + 1) * rowLen;
    for (let i = r * rowLen + per; i < end; i++) a[i] = a[i] + a[i - per];
  }
}

/**
 * The predictor on UInt16 samples two at a time, each 32-bit word holding a pair of samples
 * (an even number per pixel): the two 16-bit halves are added without a carry from one into
 * the other (add the low 15 bits, then fix the top bit of each half by xor). Half the loop
 * iterations of the sample-by-sample version; the same results (tested against geotiff.js).
 */
function undoPredictorPairs(
  w: Uint32Array,
  rows: number,
  rowWords: number,
  perWords: number,
): void {
  for (let r = 0; r < rows; r++) {
    const end = (r + 1) * rowWords;
    for (let i = r * rowWords + perWords; i < end; i++) {
      const x = w[i];
      const y = w[i - perWords];
      w[i] = ((x & 0x7fff7fff) + (y & 0x7fff7fff)) ^ ((x ^ y) & 0x80008000);
    }
  }
}

/** Copy `n` values, every `per`-th from `src` of a decoded block, into `out` at `dst`. */
function copySamples(
  block: ArrayLike<number>,
  src: number,
  per: number,
  out: Float32Array,
  dst: number,
  n: number,
): void {
  if (per === 1) for (let x = 0; x < n; x++) out[dst + x] = block[src + x];
  else for (let x = 0; x < n; x++) out[dst + x] = block[src + x * per];
}

/** A BlockReader for `image` of local file `file`, or undefined when the file needs geotiff.js. */
export async function blockReaderFor(
  file: string,
  image: GeoTIFFImage,
  littleEndian: boolean,
): Promise<BlockReader | undefined> {
  const fd0 = image.fileDirectory;
  const compression = (fd0.getValue('Compression') as number | undefined) ?? 1;
  const predictor = ((await fd0.loadValue('Predictor')) as number | undefined) ?? 1;
  const bits = image.getBitsPerSample(0);
  const format = image.getSampleFormat(0) ?? 1;
  const spp = image.getSamplesPerPixel();
  const planar = ((fd0.getValue('PlanarConfiguration') as number | undefined) ?? 1) === 2 ? 2 : 1;
  if (!littleEndian || ![1, 5, 8, 32946].includes(compression) || ![1, 2].includes(predictor))
    return undefined;
  for (let s = 1; s < spp; s++)
    if (image.getBitsPerSample(s) !== bits || (image.getSampleFormat(s) ?? 1) !== format)
      return undefined;
  const ctor: Ctor | undefined =
    format === 1 && bits === 8
      ? Uint8Array
      : format === 1 && bits === 16
        ? Uint16Array
        : format === 2 && bits === 16
          ? Int16Array
          : format === 3 && bits === 32
            ? Float32Array
            : undefined;
  if (!ctor || (predictor === 2 && ctor === Float32Array)) return undefined;
  const tiled = fd0.hasTag('TileOffsets');
  const offsets = Array.from(
    (await fd0.loadValue(tiled ? 'TileOffsets' : 'StripOffsets')) as ArrayLike<number>,
    Number,
  );
  const counts = Array.from(
    (await fd0.loadValue(tiled ? 'TileByteCounts' : 'StripByteCounts')) as ArrayLike<number>,
    Number,
  );
  const bw = image.getTileWidth();
  const bh = image.getTileHeight();
  const width = image.getWidth();
  const height = image.getHeight();
  const across = Math.ceil(width / bw);
  const down = Math.ceil(height / bh);
  const perPlane = across * down;
  const bytes = bits / 8;
  const fd = openSync(file, 'r');

  // Pixel-interleaved 4-band UInt16 — how GDAL writes a four-band stack — can be served as
  // whole decoded blocks (readBlock) to the interleaved classifier.
  const interleaved4 = planar === 1 && spp === 4 && ctor === Uint16Array;

  let scratch = new Uint8Array(0);
  let rawBuffer = Buffer.alloc(0);
  /** Decoded blocks kept for `read` (retain), least recently read first, and their bytes. */
  let budget = 0;
  const kept = new Map<number, InstanceType<Ctor>>();
  let keptBytes = 0;

  /**
   * Decoded block values (block-local layout), rows of `bw × (planar 1 ? spp : 1)` values,
   * the predictor undone unless `keepDifferences`; valid until the next call (blocks share
   * the read and inflate buffers).
   */
  const decode = (index: number, rows: number, keepDifferences = false): InstanceType<Ctor> => {
    // Read into a buffer kept for the reader's life: a fresh megabyte-sized one per block
    // cost page faults (system time) on every block.
    if (rawBuffer.length < counts[index]) rawBuffer = Buffer.allocUnsafe(counts[index]);
    const raw = rawBuffer.subarray(0, counts[index]);
    if (readSync(fd, raw, 0, counts[index], offsets[index]) !== counts[index])
      throw new Error(`block ${index} is truncated`);
    const per = planar === 1 ? spp : 1;
    const n = bw * rows * per;
    let data: Uint8Array = raw;
    if (compression !== 1)
      try {
        // Into one scratch buffer: a block is consumed before the next is decoded.
        if (scratch.length < n * bytes) scratch = new Uint8Array(n * bytes);
        data =
          compression === 5
            ? lzwDecode(raw, scratch.subarray(0, n * bytes))
            : inflateExact(raw, n * bytes, scratch);
      } catch (e) {
        throw new Error(`block ${index}: ${(e as Error).message}`);
      }
    else if (data.length < n * bytes)
      throw new Error(`block ${index} holds ${data.length} bytes, expected ${n * bytes}`);
    // View the inflated bytes in place when aligned (zlib's output usually is); copy otherwise.
    let out: InstanceType<Ctor>;
    if (data.byteOffset % bytes === 0)
      out = new ctor(data.buffer as ArrayBuffer, data.byteOffset, n) as InstanceType<Ctor>;
    else {
      out = new ctor(n) as InstanceType<Ctor>;
      new Uint8Array(out.buffer).set(data.subarray(0, n * bytes));
    }
    if (predictor === 2 && !keepDifferences)
      undoHorizontalPredictor(out as IntSamples, rows, bw * per, per);
    return out;
  };

  /** decode (predictor undone) through the blocks kept, when retain asked for them. */
  const decoded = (index: number, rows: number): InstanceType<Ctor> => {
    if (budget <= 0) return decode(index, rows);
    const hit = kept.get(index);
    if (hit) {
      // Most recently read last.
      kept.delete(index);
      kept.set(index, hit);
      return hit;
    }
    // A copy: decode's values live in buffers the next decode overwrites.
    const block = decode(index, rows).slice() as InstanceType<Ctor>;
    kept.set(index, block);
    keptBytes += block.byteLength;
    for (const [k, v] of kept) {
      if (keptBytes <= budget || k === index) break;
      kept.delete(k);
      keptBytes -= v.byteLength;
    }
    return block;
  };

  return {
    retain(rows) {
      // Whole block rows, one more than `rows` spans, of every plane.
      const blockRow =
        across * bw * bh * (planar === 1 ? spp : 1) * bytes * (planar === 2 ? spp : 1);
      budget = rows > 0 ? Math.min(RETAIN_MAX, (Math.ceil(rows / bh) + 1) * blockRow) : 0;
      if (budget <= 0) {
        kept.clear();
        keptBytes = 0;
      }
    },
    read(samples, w, into) {
      if (w.x0 < 0 || w.y0 < 0 || w.x0 + w.width > width || w.y0 + w.height > height)
        throw new Error(
          `window ${w.x0},${w.y0} ${w.width}×${w.height} lies outside the ${width}×${height} image`,
        );
      // Reusing the caller's arrays spares allocating (and the OS zeroing) megabytes per window.
      const n = w.width * w.height;
      const outs = samples.map((_, k) => (into?.[k]?.length === n ? into[k] : new Float32Array(n)));
      const bx0 = Math.floor(w.x0 / bw);
      const bx1 = Math.floor((w.x0 + w.width - 1) / bw);
      const by0 = Math.floor(w.y0 / bh);
      const by1 = Math.floor((w.y0 + w.height - 1) / bh);
      for (let by = by0; by <= by1; by++)
        for (let bx = bx0; bx <= bx1; bx++) {
          // Strips may be short at the bottom; tiles are always full size.
          const rows = tiled ? bh : Math.min(bh, height - by * bh);
          const x0 = Math.max(w.x0, bx * bw);
          const x1 = Math.min(w.x0 + w.width, (bx + 1) * bw, width);
          const y0 = Math.max(w.y0, by * bh);
          const y1 = Math.min(w.y0 + w.height, by * bh + rows);
          const planes = planar === 1 ? [0] : samples;
          const per = planar === 1 ? spp : 1;
          for (const plane of planes) {
            const block = decoded(plane * (planar === 1 ? 0 : perPlane) + by * across + bx, rows);
            for (let k = 0; k < samples.length; k++) {
              if (planar === 2 && samples[k] !== plane) continue;
              const so = planar === 1 ? samples[k] : 0;
              for (let y = y0; y < y1; y++)
                copySamples(
                  block,
                  ((y - by * bh) * bw + (x0 - bx * bw)) * per + so,
                  per,
                  outs[k],
                  (y - w.y0) * w.width + (x0 - w.x0),
                  x1 - x0,
                );
            }
          }
        }
      return outs;
    },
    interleaved4,
    readBlock(w) {
      if (!interleaved4 || w.x0 % bw !== 0 || w.y0 % bh !== 0) return undefined;
      const by = w.y0 / bh;
      const rows = tiled ? bh : Math.min(bh, height - by * bh);
      if (w.width > bw || w.height > rows || w.x0 + w.width > width) return undefined;
      return {
        data: decode(by * across + w.x0 / bw, rows, true) as Uint16Array,
        stride: bw,
        differenced: predictor === 2,
      };
    },
    close() {
      closeSync(fd);
    },
  };
}
