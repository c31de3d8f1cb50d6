import type { PixelWindow } from './grid.ts';
import type { RasterScene } from './scene-source.ts';

/** Fine pixels read per band at a time: bounds a coarse window's memory whatever its factor. */
const CHUNK_PIXELS = 1 << 22;

/**
 * `scene` on pixels `factor` times larger: each pixel is the mean of a factor × factor block of
 * the scene's own (partial blocks at the right and bottom edges average what they hold, so
 * nothing is cropped). Written by hand because what it must do at nodata is specific: a block
 * holding any unusable pixel — NaN, the declared nodata, or zero in every band read (the fill
 * of orthomosaics) — is NaN in every band, which the detector's masks drop, instead of a mean
 * darkened by fill that would read as change along every mosaic edge.
 *
 * For continuous bands only (averaging a class band such as SCL is meaningless). The location
 * is the scene's own: worker threads reopen the file and coarsen it the same way.
 */
export function coarsenScene(
  scene: RasterScene,
  factor: number,
  chunkPixels = CHUNK_PIXELS,
): RasterScene {
  const fine = scene.grid;
  const grid = {
    ...fine,
    width: Math.ceil(fine.width / factor),
    height: Math.ceil(fine.height / factor),
    pixelWidth: fine.pixelWidth * factor,
    pixelHeight: fine.pixelHeight * factor,
  };
  return {
    location: scene.location,
    grid,
    bandNames: scene.bandNames,
    nodata: scene.nodata,
    // Averaging keeps a linear scaling.
    scaling: scene.scaling,
    // Read as strips: the window sizes detect.ts derives from tiles would be tiles of the fine
    // grid, `factor`² times too large.
    blockHeight: 1,
    blockWidth: grid.width,
    async readBands(names: string[], w: PixelWindow): Promise<Float32Array[]> {
      const out = names.map(() => new Float32Array(w.width * w.height));
      const x0 = w.x0 * factor;
      const x1 = Math.min(fine.width, (w.x0 + w.width) * factor);
      const fineWidth = x1 - x0;
      const y1 = Math.min(fine.height, (w.y0 + w.height) * factor);
      // Per coarse column of one block row: each band's sum (float64: a 20×20 block of 16-bit
      // values passes float32's 2^24 exact integers) and whether any pixel is unusable; per
      // fine pixel of the block row, whether any band is non-zero.
      const sums = names.map(() => new Float64Array(w.width));
      const bad = new Uint8Array(w.width);
      const data = new Uint8Array(factor * fineWidth);
      const nodata = scene.nodata ?? NaN;
      // Whole blocks of rows per read, as many as CHUNK_PIXELS allows. (Ending reads where the
      // file's tiles end was tried: no measurable change on a 8192² pair.)
      const step = Math.max(1, Math.floor(chunkPixels / fineWidth / factor)) * factor;
      for (let y = w.y0 * factor; y < y1; y += step) {
        const rows = Math.min(step, y1 - y);
        const bands = await scene.readBands(names, { x0, y0: y, width: fineWidth, height: rows });
        for (let r0 = 0; r0 < rows; r0 += factor) {
          const r1 = Math.min(r0 + factor, rows);
          bad.fill(0);
          data.fill(0);
          for (let b = 0; b < bands.length; b++) {
            const src = bands[b];
            const sum = sums[b].fill(0);
            for (let r = r0; r < r1; r++) {
              const d = (r - r0) * fineWidth;
              // The coarse column c steps up every `factor` fine columns: no division a pixel.
              for (let x = 0, c = 0, left = factor, i = r * fineWidth; x < fineWidth; x++, i++) {
                const v = src[i];
                if (v !== v || v === nodata) bad[c] = 1;
                else if (v !== 0) data[d + x] = 1;
                sum[c] += v;
                if (--left === 0) {
                  c++;
                  left = factor;
                }
              }
            }
          }
          // Zero in every band: the fill around an orthomosaic.
          for (let r = 0; r < r1 - r0; r++)
            for (let x = 0, k = r * fineWidth; x < fineWidth; x++, k++)
              if (!data[k]) bad[(x / factor) | 0] = 1;
          const at = ((y + r0) / factor - w.y0) * w.width;
          for (let b = 0; b < bands.length; b++) {
            const o = out[b];
            const sum = sums[b];
            // A block holds its rows by `factor` columns, fewer in the last column.
            for (let c = 0; c < w.width; c++) {
              const n = (r1 - r0) * Math.min(factor, fineWidth - c * factor);
              o[at + c] = bad[c] || n <= 0 ? NaN : sum[c] / n;
            }
          }
        }
      }
      return out;
    },
    close: () => scene.close(),
  };
}
