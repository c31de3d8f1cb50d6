/**
 * I/O: inflate a zlib stream whose decoded size is known (a GeoTIFF block). Decoding the
 * tiles is the largest single cost of a detection run; libdeflate (Debian `libdeflate0`, which
 * GDAL itself uses) inflated make_scene's tiles 2.2–3.5× faster than node:zlib on this
 * machine (411–431 against 112–192 MB/s, same run), so it is used when the system has it,
 * called through koffi (an FFI with prebuilt binaries in its npm package). Without it,
 * node:zlib does the same job. Both check the stream (Adler-32 included) and the exact size.
 */
import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';

export type LibdeflateInflate = (
  src: Uint8Array,
  srcBytes: number,
  out: Uint8Array,
  outBytes: number,
) => number;

/** libdeflate's result codes (libdeflate.h). */
const RESULT = ['ok', 'bad data', 'short output', 'insufficient space'];

let libdeflate: LibdeflateInflate | null | undefined;

/** libdeflate_zlib_decompress bound to this thread's decompressor, or null where the system has no libdeflate. */
export function libdeflateInflater(): LibdeflateInflate | null {
  if (libdeflate !== undefined) return libdeflate;
  libdeflate = null;
  if (process.env.GENGBAO_INFLATE === 'zlib') return null;
  try {
    const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');
    const lib = koffi.load('libdeflate.so.0');
    const alloc = lib.func('void *libdeflate_alloc_decompressor()');
    const decompress = lib.func(
      'int libdeflate_zlib_decompress(void *d, const void *src, size_t srcBytes, void *out, size_t outBytes, size_t *actual)',
    );
    // One decompressor per thread (libdeflate's are not shared between threads), kept for
    // the thread's life.
    const d = alloc() as unknown;
    if (!d) return null;
    libdeflate = (src, srcBytes, out, outBytes) =>
      decompress(d, src, srcBytes, out, outBytes, null) as number;
  } catch {
    libdeflate = null;
  }
  return libdeflate;
}

/**
 * Inflate `src` (a zlib stream) into its first `size` bytes, into `out` when given (at least
 * `size` bytes long). Throws naming the problem when the stream is corrupt or shorter.
 */
export function inflateExact(src: Uint8Array, size: number, out?: Uint8Array): Uint8Array {
  const fast = libdeflateInflater();
  return (fast && inflateFast(fast, src, size, out)) || inflateZlib(src, size);
}

/** libdeflate's inflate, or undefined when the stream decodes to more than `size` bytes. */
export function inflateFast(
  fast: LibdeflateInflate,
  src: Uint8Array,
  size: number,
  out?: Uint8Array,
): Uint8Array | undefined {
  const dst = out && out.length >= size ? out : new Uint8Array(size);
  const rc = fast(src, src.length, dst, size);
  if (rc === 0) return dst.subarray(0, size);
  // Longer than the block (a writer that pads its last strip): node:zlib, which keeps it all.
  if (rc === 3) return undefined;
  throw new Error(
    `deflate stream ${rc === 2 ? `decodes to fewer than ${size} bytes` : `is corrupt (${RESULT[rc] ?? rc})`}`,
  );
}

/** node:zlib's inflate of the first `size` bytes. */
export function inflateZlib(src: Uint8Array, size: number): Uint8Array {
  // One output chunk of the block's size: zlib's default 16 KiB chunks are concatenated
  // (copied) afterwards, which cost a quarter of the inflate time.
  const data = inflateSync(src, { chunkSize: Math.max(64, size) });
  if (data.length < size)
    throw new Error(`deflate stream decodes to ${data.length} bytes, expected ${size}`);
  return data.subarray(0, size);
}
