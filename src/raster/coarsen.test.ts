import { describe, expect, it } from 'vitest';
import { coarsenScene } from './coarsen.ts';
import { memoryScene } from './memory-scene.ts';
import { utmGrid } from './test-fixtures.ts';

/** A 7×5 three-band scene whose band b holds 100·b + the pixel's index. */
function scene(nodata: number | null = null, edit?: (bands: Float32Array[]) => void) {
  const grid = utmGrid(7, 5, { pixelWidth: 0.1, pixelHeight: 0.1 });
  const bands = [1, 2, 3].map((b) => Float32Array.from({ length: 35 }, (_, i) => 100 * b + i));
  edit?.(bands);
  return memoryScene('fine', grid, { '1': bands[0], '2': bands[1], '3': bands[2] }, nodata);
}

/** Mean of band b (1-based) over fine columns x0..x1−1, rows y0..y1−1 of scene(). */
function mean(b: number, x0: number, x1: number, y0: number, y1: number): number {
  let s = 0;
  let n = 0;
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) {
      s += 100 * b + y * 7 + x;
      n++;
    }
  return s / n;
}

describe('coarsenScene', () => {
  it('puts the scene on pixels factor times larger, partial edge blocks included', () => {
    const fine = scene();
    const c = coarsenScene(fine, 3);
    expect(c.grid).toMatchObject({ width: 3, height: 2, originX: fine.grid.originX });
    expect(c.grid.originY).toBe(fine.grid.originY);
    expect(c.grid.pixelWidth).toBeCloseTo(0.3, 12);
    expect(c.grid.pixelHeight).toBeCloseTo(0.3, 12);
    expect(c.location).toBe('memory:fine');
  });

  it('averages each block, the partial ones at the right and bottom edges over what they hold', async () => {
    const c = coarsenScene(scene(), 3);
    const [b1, , b3] = await c.readBands(['1', '2', '3'], { x0: 0, y0: 0, width: 3, height: 2 });
    expect(Array.from(b1)).toEqual([
      mean(1, 0, 3, 0, 3),
      mean(1, 3, 6, 0, 3),
      mean(1, 6, 7, 0, 3),
      mean(1, 0, 3, 3, 5),
      mean(1, 3, 6, 3, 5),
      mean(1, 6, 7, 3, 5),
    ]);
    expect(b3[4]).toBe(mean(3, 3, 6, 3, 5));
  });

  it('reads any window as the whole scene has it, whatever the rows read at a time', async () => {
    const whole = await coarsenScene(scene(), 2).readBands(['2'], {
      x0: 0,
      y0: 0,
      width: 4,
      height: 3,
    });
    // One block row per read (chunk of 1 pixel) against the default chunk.
    const part = await coarsenScene(scene(), 2, 1).readBands(['2'], {
      x0: 1,
      y0: 1,
      width: 3,
      height: 2,
    });
    expect(Array.from(part[0])).toEqual([5, 6, 7, 9, 10, 11].map((i) => whole[0][i]));
  });

  it('makes a block NaN in every band when any pixel of it is nodata, NaN or zero in every band', async () => {
    const c = coarsenScene(
      scene(999, (bands) => {
        bands[1][0] = 999; // nodata in one band of block (0, 0)
        bands[0][3 * 7 + 4] = NaN; // block (1, 1)
        for (const b of bands) b[6] = 0; // orthomosaic fill in block (2, 0)
        bands[2][2 * 7 + 3] = 0; // one band zero is data: block (1, 0) stays
      }),
      3,
    );
    const [b1, b2] = await c.readBands(['1', '2', '3'], { x0: 0, y0: 0, width: 3, height: 2 });
    expect(Array.from(b1).map(Number.isNaN)).toEqual([true, false, true, false, true, false]);
    expect(Number.isNaN(b2[0])).toBe(true);
    expect(b1[1]).toBe(mean(1, 3, 6, 0, 3));
  });
});
