import { PNG } from 'pngjs';

/** Linear stretch of one band: values at `lo` → 0, at `hi` → 255. */
export interface Stretch {
  lo: number;
  hi: number;
}

/**
 * Encode an RGB image from three bands (w×h) as PNG bytes, each band linearly stretched;
 * pixels where `outline` is non-zero are painted yellow (the polygon's edge on evidence chips).
 */
export function encodeRgbPng(
  bands: [ArrayLike<number>, ArrayLike<number>, ArrayLike<number>],
  w: number,
  h: number,
  stretch: [Stretch, Stretch, Stretch],
  outline?: Uint8Array,
): Buffer {
  const png = new PNG({ width: w, height: h, colorType: 6 });
  for (let i = 0; i < w * h; i++) {
    for (let c = 0; c < 3; c++) {
      const { lo, hi } = stretch[c];
      const v = ((bands[c][i] - lo) / (hi - lo || 1)) * 255;
      png.data[i * 4 + c] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
    png.data[i * 4 + 3] = 255;
    if (outline && outline[i]) {
      png.data[i * 4] = 255;
      png.data[i * 4 + 1] = 230;
      png.data[i * 4 + 2] = 0;
    }
  }
  return PNG.sync.write(png);
}
