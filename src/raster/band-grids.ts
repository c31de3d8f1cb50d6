/**
 * Bands of one scene on grids of different resolution: Sentinel-2 products give B02, B03, B04
 * and B08 at 10 m but B11, B12 and the scene classification (SCL) only at 20 m, on the same
 * tile corner. A folder of such bands is read on its finest grid, each coarser band repeated
 * k × k (nearest neighbour: right for SCL's classes, and it invents no radiometry).
 */
import { sameCrs } from './crs.ts';
import type { PixelWindow, RasterGrid } from './grid.ts';

/**
 * How many of `fine`'s pixels a side one pixel of `band` spans: 1 when the grids are the same,
 * k when `band` has pixels k times larger (a whole number) from the same corner in the same
 * CRS and covers the fine grid; undefined otherwise.
 */
export function coarserFactor(fine: RasterGrid, band: RasterGrid): number | undefined {
  const tol = fine.pixelWidth * 1e-6;
  const k = Math.round(band.pixelWidth / fine.pixelWidth);
  const aligned =
    k >= 1 &&
    sameCrs(fine.crs, band.crs) &&
    Math.abs(band.pixelWidth - k * fine.pixelWidth) <= k * tol &&
    Math.abs(band.pixelHeight - k * fine.pixelHeight) <= k * tol &&
    Math.abs(band.originX - fine.originX) <= tol &&
    Math.abs(band.originY - fine.originY) <= tol;
  if (!aligned) return undefined;
  if (k === 1) return band.width === fine.width && band.height === fine.height ? 1 : undefined;
  return Math.ceil(fine.width / k) <= band.width && Math.ceil(fine.height / k) <= band.height
    ? k
    : undefined;
}

/** The window of a k-times coarser band holding every pixel of fine window `w`. */
export function coarseWindow(w: PixelWindow, k: number): PixelWindow {
  const x0 = Math.floor(w.x0 / k);
  const y0 = Math.floor(w.y0 / k);
  return {
    x0,
    y0,
    width: Math.ceil((w.x0 + w.width) / k) - x0,
    height: Math.ceil((w.y0 + w.height) / k) - y0,
  };
}

/** Fine window `w` of a band read over coarseWindow(w, k): each coarse pixel repeated k × k. */
export function repeatOnFine(
  coarse: ArrayLike<number>,
  cw: PixelWindow,
  k: number,
  w: PixelWindow,
): Float32Array {
  const out = new Float32Array(w.width * w.height);
  for (let r = 0; r < w.height; r++) {
    const row = (Math.floor((w.y0 + r) / k) - cw.y0) * cw.width - cw.x0;
    for (let c = 0; c < w.width; c++)
      out[r * w.width + c] = coarse[row + Math.floor((w.x0 + c) / k)];
  }
  return out;
}
