import { inflateSync } from 'node:zlib';
import { addDecoder, BaseDecoder } from 'geotiff';

/**
 * geotiff.js inflates DEFLATE tiles with pako (pure JS); node:zlib's native inflate roughly
 * halves decode time (PERFORMANCE.md). BaseDecoder.decode still undoes the predictor.
 */
class ZlibDeflateDecoder extends BaseDecoder {
  override decodeBlock(buffer: ArrayBufferLike): ArrayBufferLike {
    const out = inflateSync(new Uint8Array(buffer));
    return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength);
  }
}

let registered = false;

/** Register the node:zlib inflate for TIFF compressions 8 and 32946 (Adobe and old-style DEFLATE). Idempotent. */
export function registerZlibDecoder(): void {
  if (registered) return;
  registered = true;
  addDecoder(
    [8, 32946],
    async () => ZlibDeflateDecoder as unknown as typeof BaseDecoder,
    undefined,
    false,
  );
}
