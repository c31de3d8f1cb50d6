import { join } from 'node:path';
import { fromFile } from 'geotiff';
import { describe, expect, it } from 'vitest';
import { onPath } from '../geo/formats/gdal.ts';
import { lzwDecode } from './lzw.ts';
import type { PixelWindow } from './grid.ts';
import { openScene } from './scene-source.ts';
import { rng, tempDir, utmGrid, writeMultiband, writeWithGdal } from './test-fixtures.ts';
import { registerDecoders } from './decoders.ts';

/** A window of every band of `file` as openScene reads it and as geotiff.js (the reference) does. */
async function readBoth(file: string, bands: number, w: PixelWindow) {
  const s = await openScene(file);
  const mine = await s.readBands(
    Array.from({ length: bands }, (_, i) => String(i + 1)),
    w,
  );
  await s.close();
  const tiff = await fromFile(file);
  const ref = await (
    await tiff.getImage()
  ).readRasters({ window: [w.x0, w.y0, w.x0 + w.width, w.y0 + w.height] });
  await tiff.close();
  return { mine, ref };
}

// geotiff.js is the reference decoder: the direct block reader must return the same values.
describe('direct block reader', () => {
  const dir = tempDir();
  const grid = utmGrid(203, 150);
  const r = rng(11);
  const u16 = [0, 1, 2].map(() =>
    Uint16Array.from({ length: 203 * 150 }, () => Math.floor(r() * 65535)),
  );
  const u8 = [0, 1].map(() => Uint8Array.from({ length: 203 * 150 }, () => Math.floor(r() * 255)));
  const cases = [
    {
      name: 'tiled deflate predictor 2 UInt16',
      bands: u16,
      opts: { tileSize: 64, predictor: 2 as const },
    },
    {
      name: 'stripped deflate predictor 2 UInt8',
      bands: u8,
      opts: { tiled: false, tileSize: 7, predictor: 2 as const },
    },
    {
      name: 'pixel-interleaved tiled deflate predictor 2 UInt16',
      bands: u16,
      opts: { tileSize: 48, predictor: 2 as const, interleave: 'pixel' as const },
    },
    {
      name: 'pixel-interleaved strips raw UInt8',
      bands: u8,
      opts: { tiled: false, tileSize: 9, deflate: false, interleave: 'pixel' as const },
    },
    { name: 'tiled raw UInt16', bands: u16, opts: { tileSize: 32, deflate: false } },
    {
      // Four interleaved samples with the predictor: the layout readBlock also serves.
      name: 'pixel-interleaved 4-band tiled deflate predictor 2 UInt16',
      bands: [...u16, u16[0].map((v) => 65535 - v)],
      opts: { tileSize: 64, predictor: 2 as const, interleave: 'pixel' as const },
    },
  ];
  for (const c of cases)
    it(`matches geotiff.js on ${c.name}`, async () => {
      registerDecoders();
      const file = writeMultiband(
        join(dir, `${c.name.replace(/ /g, '-')}.tif`),
        c.bands as Uint16Array[],
        grid,
        c.opts,
      );
      const w = { x0: 37, y0: 11, width: 150, height: 120 };
      const { mine, ref } = await readBoth(file, c.bands.length, w);
      c.bands.forEach((_, b) =>
        expect(Array.from(mine[b])).toEqual(Array.from(ref[b] as ArrayLike<number>)),
      );
      // and both equal the values written
      expect(mine[0][0]).toBe(c.bands[0][11 * 203 + 37]);
    });

  // LZW as GDAL writes it (our writer has no LZW): random values, which reset the code table
  // again and again, and long runs, whose codes are defined as they are used.
  const runs = [0, 1, 2].map((b) =>
    Uint8Array.from({ length: 203 * 150 }, (_, i) => Math.floor(i / (97 + b * 31)) % 7),
  );
  const lzwCases = [
    {
      name: 'tiled UInt16 predictor 2, band planes',
      bands: u16,
      co: ['TILED=YES', 'PREDICTOR=2', 'INTERLEAVE=BAND', 'BLOCKXSIZE=64', 'BLOCKYSIZE=32'],
    },
    {
      name: 'striped UInt8 pixel-interleaved predictor 2',
      bands: u8,
      co: ['PREDICTOR=2', 'BLOCKYSIZE=7'],
    },
    {
      name: 'tiled UInt8 runs, no predictor',
      bands: runs,
      co: ['TILED=YES', 'BLOCKXSIZE=128', 'BLOCKYSIZE=128'],
    },
  ];
  for (const c of lzwCases)
    it.skipIf(!onPath('gdal_translate'))(
      `reads the values written, directly and through geotiff.js, on LZW ${c.name} (skipped when gdal_translate is not on PATH)`,
      async () => {
        // geotiff.js then decodes LZW with lzw.ts too (its own decoder is the slow one).
        registerDecoders();
        const file = writeWithGdal(
          join(dir, `lzw-${c.name.replace(/[ ,]+/g, '-')}.tif`),
          c.bands as Uint16Array[],
          grid,
          ['COMPRESS=LZW', ...c.co],
        );
        const w = { x0: 37, y0: 11, width: 166, height: 139 };
        const { mine, ref } = await readBoth(file, c.bands.length, w);
        c.bands.forEach((band, b) => {
          const written = Array.from({ length: w.width * w.height }, (_, i) => {
            const y = w.y0 + Math.floor(i / w.width);
            return band[y * 203 + w.x0 + (i % w.width)];
          });
          expect(Array.from(mine[b])).toEqual(written);
          expect(Array.from(ref[b] as ArrayLike<number>)).toEqual(written);
        });
      },
    );

  it('refuses LZW data that end early or hold a code not yet defined', () => {
    // 9-bit codes, 256 clearing the table and 257 ending the data.
    const pack = (codes: number[]) => {
      let acc = 0n;
      for (const c of codes) acc = (acc << 9n) | BigInt(c);
      const bits = codes.length * 9;
      const bytes = Math.ceil(bits / 8);
      acc <<= BigInt(bytes * 8 - bits);
      return Uint8Array.from({ length: bytes }, (_, i) =>
        Number((acc >> BigInt((bytes - 1 - i) * 8)) & 0xffn),
      );
    };
    // A, B, then 258 = "AB" defined by the pair: ABAB.
    expect(Array.from(lzwDecode(pack([256, 65, 66, 258, 257]), new Uint8Array(4)))).toEqual([
      65, 66, 65, 66,
    ]);
    // 258 used as it is being defined (the previous string and its own first byte): AAA.
    expect(Array.from(lzwDecode(pack([256, 65, 258, 257]), new Uint8Array(3)))).toEqual([
      65, 65, 65,
    ]);
    expect(() => lzwDecode(pack([256, 65, 66, 257]), new Uint8Array(4))).toThrow(
      /LZW data end after 2 of 4 bytes/,
    );
    expect(() => lzwDecode(pack([256, 65, 300, 257]), new Uint8Array(4))).toThrow(
      /LZW code 300 is not in the table/,
    );
  });

  it('reads a subset of samples in any order of a 4-band interleaved file, into reused arrays', async () => {
    const bands = [...u16, u16[1].map((v) => v ^ 0x5a5a)];
    const file = writeMultiband(join(dir, 'fused-subset.tif'), bands, grid, {
      tileSize: 64,
      predictor: 2,
      interleave: 'pixel',
    });
    const s = await openScene(file);
    const w = { x0: 64, y0: 64, width: 64, height: 64 };
    const reuse = [new Float32Array(64 * 64), new Float32Array(64 * 64)];
    const [fourth, second] = await s.readBands(['4', '2'], w, reuse);
    await s.close();
    expect(fourth).toBe(reuse[0]);
    for (let y = 0; y < 64; y++)
      for (let x = 0; x < 64; x++) {
        const i = (64 + y) * 203 + 64 + x;
        expect(fourth[y * 64 + x]).toBe(bands[3][i]);
        expect(second[y * 64 + x]).toBe(bands[1][i]);
      }
  });

  it('reads the same values with decoded blocks kept (retainBlocks), evicting or not', async () => {
    // Overlapping windows with margins, in the order the learned classifier reads them.
    const windows: PixelWindow[] = [];
    for (let y = 0; y < 150; y += 40)
      for (let x = 0; x < 203; x += 48) {
        const x0 = Math.max(0, x - 17);
        const y0 = Math.max(0, y - 17);
        windows.push({
          x0,
          y0,
          width: Math.min(203, x + 48 + 17) - x0,
          height: Math.min(150, y + 40 + 17) - y0,
        });
      }
    const layouts = [
      { tileSize: 32, predictor: 2 as const, interleave: 'pixel' as const },
      { tileSize: 32, predictor: 2 as const },
      { tiled: false, tileSize: 5, predictor: 2 as const },
    ];
    for (const [k, opts] of layouts.entries()) {
      const file = writeMultiband(join(dir, `retain-${k}.tif`), u16, grid, opts);
      const names = ['1', '2', '3'];
      const plain = await openScene(file);
      const want = [];
      for (const w of windows) want.push(await plain.readBands(names, w));
      await plain.close();
      // Rows enough to keep all, and so few that blocks are dropped and decoded again.
      for (const rows of [400, 1]) {
        const kept = await openScene(file);
        expect(kept.retainBlocks).toBeDefined();
        kept.retainBlocks?.(rows);
        for (const [j, w] of windows.entries())
          expect(await kept.readBands(names, w)).toEqual(want[j]);
        // Twice: the second pass reads kept blocks where the first decoded them.
        for (const [j, w] of windows.entries())
          expect(await kept.readBands(names, w)).toEqual(want[j]);
        await kept.close();
      }
    }
  });
});
