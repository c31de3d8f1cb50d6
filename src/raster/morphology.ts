/**
 * Binary morphology on a row-major mask (non-zero = set) with a (2r+1)² square element,
 * done as separable row/column passes with running counts, O(pixels) whatever r is.
 * Pixels outside the image count as unset for dilation. For erosion they count as set in an
 * opening (a change touching the scene edge is not eaten away) and as unset in a closing (a
 * closing must not grow changes out to the scene edge).
 */

function pass(
  src: Uint8Array,
  w: number,
  h: number,
  r: number,
  erode: boolean,
  horizontal: boolean,
  outsideSet = true,
): Uint8Array {
  const out = new Uint8Array(w * h);
  const [len, lines] = horizontal ? [w, h] : [h, w];
  const step = horizontal ? 1 : w;
  for (let line = 0; line < lines; line++) {
    const base = horizontal ? line * w : line;
    // count of set pixels in the window [i−r, i+r] clipped to the line
    let count = 0;
    for (let i = 0; i <= Math.min(r, len - 1); i++) if (src[base + i * step]) count++;
    for (let i = 0; i < len; i++) {
      const lo = Math.max(0, i - r);
      const hi = Math.min(len - 1, i + r);
      const inside = outsideSet ? hi - lo + 1 : 2 * r + 1;
      out[base + i * step] = erode ? (count === inside ? 1 : 0) : count > 0 ? 1 : 0;
      if (i - r >= 0 && src[base + (i - r) * step]) count--;
      if (i + r + 1 < len && src[base + (i + r + 1) * step]) count++;
    }
  }
  return out;
}

/** Erosion by a (2r+1)² square; `outsideSet` says what lies beyond the image edge. */
export function erode(
  mask: Uint8Array,
  w: number,
  h: number,
  r = 1,
  outsideSet = true,
): Uint8Array {
  return pass(pass(mask, w, h, r, true, true, outsideSet), w, h, r, true, false, outsideSet);
}

/** Dilation by a (2r+1)² square. */
export function dilate(mask: Uint8Array, w: number, h: number, r = 1): Uint8Array {
  return pass(pass(mask, w, h, r, false, true), w, h, r, false, false);
}

/** Opening (erosion then dilation): removes specks and one-pixel spurs narrower than 2r+1. */
export function open(mask: Uint8Array, w: number, h: number, r = 1): Uint8Array {
  return dilate(erode(mask, w, h, r), w, h, r);
}

/** Closing (dilation then erosion): fills gaps and notches narrower than 2r+1. */
export function close(mask: Uint8Array, w: number, h: number, r = 1): Uint8Array {
  const out = erode(dilate(mask, w, h, r), w, h, r, false);
  // OR with the input keeps closing extensive at the image edge.
  for (let i = 0; i < out.length; i++) if (mask[i]) out[i] = 1;
  return out;
}
