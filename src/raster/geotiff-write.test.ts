import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromFile } from 'geotiff';
import { describe, expect, it } from 'vitest';
import { onPath } from '../geo/formats/gdal.ts';
import { declaredScaling } from './band-scaling.ts';
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

describe('encodeGeoTiff with a declared scaling', () => {
  const grid = utmGrid(16, 16);
  const bands = [1, 2].map((k) => new Uint16Array(256).fill(1000 + k));
  const file = join(dir, 'scaled.tif');
  writeFileSync(file, encodeGeoTiff(bands, grid, { scaling: { scale: 1e-4, offset: -0.1 } }));

  it('reads back the scale and offset of every band, values as stored', async () => {
    const s = await openScene(file);
    expect(s.scaling).toEqual({
      '1': { scale: 1e-4, offset: -0.1 },
      '2': { scale: 1e-4, offset: -0.1 },
    });
    expect((await s.readBands(['2'], { x0: 0, y0: 0, width: 1, height: 1 }))[0][0]).toBe(1002);
    await s.close();
  });

  it.skipIf(!onPath('gdalinfo'))('is the band scale and offset GDAL reads', () => {
    const info = JSON.parse(execFileSync('gdalinfo', ['-json', file], { encoding: 'utf8' })) as {
      bands: { scale?: number; offset?: number }[];
    };
    expect(info.bands.map((b) => [b.scale, b.offset])).toEqual([
      [1e-4, -0.1],
      [1e-4, -0.1],
    ]);
  });
});

describe('declaredScaling', () => {
  it('answers every band asked for at once on a freshly opened file', async () => {
    const file = join(dir, 'scaled-4.tif');
    // 1024² in 256² tiles: its metadata is loaded on demand, after the first bytes geotiff.js reads.
    const bands = [0, 1, 2, 3].map(() => new Uint16Array(1024 * 1024).fill(1500));
    writeFileSync(
      file,
      encodeGeoTiff(bands, utmGrid(1024, 1024), { scaling: { scale: 1e-4, offset: -0.1 } }),
    );
    const image = await (await fromFile(file)).getImage();
    const all = await Promise.all([0, 1, 2, 3].map((s) => declaredScaling(image, s)));
    expect(all).toEqual([0, 1, 2, 3].map(() => ({ scale: 1e-4, offset: -0.1 })));
  });
});
