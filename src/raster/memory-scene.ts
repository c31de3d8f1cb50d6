import { GengbaoError } from '../errors.ts';
import type { PixelWindow, RasterGrid } from './grid.ts';
import type { RasterScene } from './scene-source.ts';

/**
 * A scene held in memory (decoded PNGs, test fixtures): the same window interface as a
 * GeoTIFF scene, so the detector cannot tell the difference. Its location starts with
 * "memory:", which keeps it on the calling thread (workers cannot reopen it).
 */
export function memoryScene(
  label: string,
  grid: RasterGrid,
  bands: Record<string, ArrayLike<number>>,
  nodata: number | null = null,
): RasterScene {
  const names = Object.keys(bands);
  for (const n of names)
    if (bands[n].length !== grid.width * grid.height)
      throw new GengbaoError(
        'bad_input',
        `${label}: band ${n} has ${bands[n].length} pixels, the grid ${grid.width * grid.height}`,
        { field: 'bands' },
      );
  return {
    location: `memory:${label}`,
    grid,
    bandNames: names,
    nodata,
    blockHeight: 1,
    blockWidth: grid.width,
    async readBands(want: string[], w: PixelWindow): Promise<Float32Array[]> {
      return want.map((name) => {
        const src = bands[name];
        if (!src)
          throw new GengbaoError(
            'bad_input',
            `${label}: band ${name} is missing (has ${names.join(', ')})`,
            { field: 'bands' },
          );
        const out = new Float32Array(w.width * w.height);
        for (let r = 0; r < w.height; r++)
          for (let c = 0; c < w.width; c++)
            out[r * w.width + c] = src[(w.y0 + r) * grid.width + w.x0 + c];
        return out;
      });
    },
    async close(): Promise<void> {},
  };
}
