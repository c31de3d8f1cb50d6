import { join } from 'node:path';
import { fromFile } from 'geotiff';
import { describe, expect, it } from 'vitest';
import { openScene } from './scene-source.ts';
import { rng, tempDir, utmGrid, writeMultiband } from './test-fixtures.ts';
import { registerZlibDecoder } from './zlib-decoder.ts';

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
  ];
  for (const c of cases)
    it(`matches geotiff.js on ${c.name}`, async () => {
      registerZlibDecoder();
      const file = writeMultiband(
        join(dir, `${c.name.replace(/ /g, '-')}.tif`),
        c.bands as Uint16Array[],
        grid,
        c.opts,
      );
      const w = { x0: 37, y0: 11, width: 150, height: 120 };
      const s = await openScene(file);
      const names = c.bands.map((_, i) => String(i + 1));
      const mine = await s.readBands(names, w);
      await s.close();
      const tiff = await fromFile(file);
      const ref = await (
        await tiff.getImage()
      ).readRasters({ window: [w.x0, w.y0, w.x0 + w.width, w.y0 + w.height] });
      await tiff.close();
      c.bands.forEach((_, b) =>
        expect(Array.from(mine[b])).toEqual(Array.from(ref[b] as ArrayLike<number>)),
      );
      // and both equal the values written
      expect(mine[0][0]).toBe(c.bands[0][11 * 203 + 37]);
    });
});
