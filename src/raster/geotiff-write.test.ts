import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeGeoTiff } from './geotiff-write.ts';
import { openScene } from './scene-source.ts';
import { tempDir, utmGrid } from './test-fixtures.ts';

const dir = tempDir();

/** A mask made mostly of uniform blocks (all 0, all 1) with a few mixed ones, as a change mask is. */
function blockyMask(width: number, height: number): Uint8Array {
  const m = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (x >= 256 && x < 512) m[i] = 1; // a column of all-1 tiles
      if (x < 40 && y < 30) m[i] = (x * y) % 3 === 0 ? 1 : 0; // one mixed tile
      if (y >= 512) m[i] = 7; // uniform 7 in the last, short strip / padded tiles
    }
  return m;
}

async function readBack(file: string, width: number, height: number): Promise<Float32Array> {
  const s = await openScene(file);
  const [band] = await s.readBands([s.bandNames[0]], { x0: 0, y0: 0, width, height });
  await s.close();
  return band;
}

describe('encodeGeoTiff', () => {
  // Uniform blocks share one compressed copy per value and size: the reads must not mix them up.
  for (const [tiled, level] of [
    [true, 6],
    [false, 1],
  ] as const)
    it(`writes a mask of uniform and mixed ${tiled ? 'tiles' : 'strips'} (zlib level ${level}) that reads back pixel for pixel`, async () => {
      const [width, height] = [700, 530];
      const mask = blockyMask(width, height);
      const file = join(dir, `mask-${tiled}.tif`);
      writeFileSync(
        file,
        encodeGeoTiff([mask], utmGrid(width, height), { tiled, tileSize: 256, level }),
      );
      const back = await readBack(file, width, height);
      let differ = 0;
      for (let i = 0; i < mask.length; i++) if (back[i] !== mask[i]) differ++;
      expect(differ).toBe(0);
      expect(back[300]).toBe(1);
      expect(back[520 * width + 5]).toBe(7);
    });
});
