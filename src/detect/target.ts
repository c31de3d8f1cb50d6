import type { PixelWindow } from '../raster/grid.ts';

/**
 * The whole-scene rasters windows are classified into: on SharedArrayBuffers when workers
 * write them, zero-filled at the start.
 */
export interface ClassifyTarget {
  cls: Uint8Array;
  score: Uint8Array;
  /** The before-grid region the rasters cover. */
  region: PixelWindow;
}

/**
 * Put a window's classes and scores into the target where the window changed. Only changed
 * pixels matter downstream (a score is read where a class is set), so the zero rest is never
 * written: most pages of the scene-sized rasters are never touched, which spares the OS
 * backing them, and stores into shared memory, slow in V8, stay few. Words of four pixels
 * at a time where the layout allows it.
 */
export function placeChanges(
  target: ClassifyTarget,
  cls: Uint8Array,
  score: Uint8Array,
  w: PixelWindow,
): void {
  const { region } = target;
  const dx = w.x0 - region.x0;
  const aligned =
    (region.width | w.width | dx | target.cls.byteOffset | target.score.byteOffset) % 4 === 0 &&
    (cls.byteOffset | score.byteOffset) % 4 === 0;
  if (aligned) {
    const view = (a: Uint8Array, n: number): Uint32Array =>
      new Uint32Array(a.buffer, a.byteOffset, n >> 2);
    const [tc, ts] = [view(target.cls, target.cls.length), view(target.score, target.score.length)];
    const [wc, ws] = [view(cls, w.width * w.height), view(score, w.width * w.height)];
    const n = w.width >> 2;
    for (let r = 0; r < w.height; r++) {
      const o = ((w.y0 - region.y0 + r) * region.width + dx) >> 2;
      for (let i = r * n, end = i + n; i < end; i++)
        if (wc[i] !== 0) {
          tc[o + i - r * n] = wc[i];
          ts[o + i - r * n] = ws[i];
        }
    }
    return;
  }
  for (let r = 0; r < w.height; r++) {
    const o = (w.y0 - region.y0 + r) * region.width + dx - r * w.width;
    for (let i = r * w.width; i < (r + 1) * w.width; i++)
      if (cls[i] !== 0) {
        target.cls[o + i] = cls[i];
        target.score[o + i] = score[i];
      }
  }
}

/**
 * Where a classifier writes a window's changed pixels: pixel (x, y) of the window goes to
 * `at + y·stride + x` of `cls` and `score`, which start zeroed; nothing is written for a pixel
 * that did not change.
 */
export interface WindowSink {
  cls: Uint8Array;
  score: Uint8Array;
  at: number;
  stride: number;
}

/** Fresh window-sized arrays as a sink. */
export function windowSink(width: number, height: number): WindowSink {
  return {
    cls: new Uint8Array(width * height),
    score: new Uint8Array(width * height),
    at: 0,
    stride: width,
  };
}

/**
 * The target's rasters as the sink of window `w`: the classifier stores its changed pixels
 * straight into them, with no window arrays to allocate and then scan (placeChanges' pass
 * over a 10980² scene cost each worker about 0.6 s).
 */
export function targetSink(target: ClassifyTarget, w: PixelWindow): WindowSink {
  const { region } = target;
  return {
    cls: target.cls,
    score: target.score,
    at: (w.y0 - region.y0) * region.width + (w.x0 - region.x0),
    stride: region.width,
  };
}
