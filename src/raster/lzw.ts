/**
 * TIFF LZW (TIFF 6.0 §13): codes most significant bit first, 9 to 12 bits wide, widened one
 * code early ("early change"), 256 clearing the table and 257 ending the block. Written by
 * hand because geotiff.js's decoder builds every string as an array and spent 75 % of a read
 * in it (2048 rows of an 8192-wide RGB orthophoto COG: 9.9 s; 1.1 s with this one through
 * block-reader.ts; DEFLATE 0.5 s). No maintained npm package I found exports a decoder for
 * TIFF's LZW blocks: geotiff.js and image-js's `tiff` keep theirs inside their own readers.
 */

const CLEAR = 256;
const EOI = 257;
const FIRST = 258;
const MAX_CODES = 4096;

/**
 * Decode one LZW-compressed block into `out` (whose length is the decoded size the block must
 * have), returning `out`. Throws when the data end before `out` is full (unless not `exact`:
 * then what was decoded, as for a short last strip) or hold a code the table does not have yet.
 */
export function lzwDecode(src: Uint8Array, out: Uint8Array, exact = true): Uint8Array {
  // The table: each code's string is its prefix code's string and one last byte; `first`
  // and `length` let a string be written back to front straight into `out`.
  const prefix = new Uint16Array(MAX_CODES);
  const last = new Uint8Array(MAX_CODES);
  const first = new Uint8Array(MAX_CODES);
  const length = new Uint16Array(MAX_CODES);
  for (let c = 0; c < 256; c++) {
    last[c] = c;
    first[c] = c;
    length[c] = 1;
  }
  const want = out.length;
  let pos = 0;
  let next = FIRST;
  let width = 9;
  let old = -1;
  // Bit reader: `acc` holds `bits` unread bits, most significant first.
  let acc = 0;
  let bits = 0;
  let at = 0;
  /** Write code's string of `len` bytes at `pos`, back to front, cut at the end of `out`. */
  const put = (code: number, len: number): void => {
    let c = code;
    let k = len - 1;
    for (; pos + k >= want; k--) c = prefix[c];
    for (; k >= 0; k--, c = prefix[c]) out[pos + k] = last[c];
    pos = Math.min(want, pos + len);
  };
  while (pos < want) {
    while (bits < width) {
      if (at >= src.length) throw new Error(`LZW data end after ${pos} of ${want} bytes`);
      acc = ((acc << 8) | src[at++]) & 0xffffff;
      bits += 8;
    }
    const code = (acc >>> (bits - width)) & ((1 << width) - 1);
    bits -= width;
    if (code === EOI) break;
    if (code === CLEAR) {
      next = FIRST;
      width = 9;
      old = -1;
      continue;
    }
    if (old < 0) {
      if (code > 255) throw new Error(`LZW code ${code} right after a clear`);
      out[pos++] = code;
      old = code;
      continue;
    }
    if (code < next) {
      // A known string: written back to front along its prefixes.
      put(code, length[code]);
      if (next < MAX_CODES) {
        prefix[next] = old;
        last[next] = first[code];
        first[next] = first[old];
        length[next] = length[old] + 1;
        next++;
      }
    } else if (code === next && next < MAX_CODES) {
      // The string being defined: the previous one and its own first byte.
      prefix[next] = old;
      last[next] = first[old];
      first[next] = first[old];
      length[next] = length[old] + 1;
      put(next, length[next]);
      next++;
    } else throw new Error(`LZW code ${code} is not in the table (${next} codes)`);
    old = code;
    // Early change: the width grows when the next code would need it, one code ahead.
    if (next + 1 >= 1 << width && width < 12) width++;
  }
  if (pos < want) {
    if (exact) throw new Error(`LZW data end after ${pos} of ${want} bytes`);
    return out.subarray(0, pos);
  }
  return out;
}
