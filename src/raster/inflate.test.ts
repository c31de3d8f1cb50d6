import { existsSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inflateExact, inflateFast, inflateZlib, libdeflateInflater } from './inflate.ts';
import { rng } from './test-fixtures.ts';

const r = rng(5);
// Predictor-like data: mostly small numbers, some noise, as GeoTIFF tiles hold.
const plain = Uint8Array.from({ length: 100_000 }, (_, i) => (i % 7) * 3 + Math.floor(r() * 4));
const packed = deflateSync(plain);
const corrupt = Uint8Array.from(packed);
corrupt[40] ^= 0xff;
corrupt[41] ^= 0x5a;

describe('inflateExact', () => {
  it('inflates a zlib stream to its exact size (into a given buffer too)', () => {
    expect(Buffer.compare(inflateExact(packed, plain.length), plain)).toBe(0);
    const into = new Uint8Array(plain.length + 10);
    const out = inflateExact(packed, plain.length, into);
    expect(out.buffer).toBe(into.buffer);
    expect(Buffer.compare(out, plain)).toBe(0);
    // A stream longer than the block (a padded last strip): its first bytes.
    expect(Buffer.compare(inflateExact(packed, 1000), plain.subarray(0, 1000))).toBe(0);
  });

  it('refuses a short or corrupt stream with node:zlib', () => {
    expect(() => inflateZlib(packed, plain.length + 1)).toThrow(
      /decodes to 100000 bytes, expected 100001/,
    );
    expect(() => inflateZlib(corrupt, plain.length)).toThrow();
    expect(Buffer.compare(inflateZlib(packed, plain.length), plain)).toBe(0);
  });

  const lib = existsSync('/usr/lib/x86_64-linux-gnu/libdeflate.so.0') ? libdeflateInflater() : null;
  it.skipIf(!lib)(
    'uses libdeflate where the system has it (Debian libdeflate0), with the same checks',
    () => {
      const fast = lib as NonNullable<typeof lib>;
      expect(Buffer.compare(inflateFast(fast, packed, plain.length) as Uint8Array, plain)).toBe(0);
      expect(() => inflateFast(fast, packed, plain.length + 1)).toThrow(
        /decodes to fewer than 100001 bytes/,
      );
      expect(() => inflateFast(fast, corrupt, plain.length)).toThrow(/corrupt/);
      expect(inflateFast(fast, packed, 1000)).toBeUndefined(); // longer: left to node:zlib
    },
  );
});
