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
 * The target's rasters as the sink of window `w`: every classifier stores its changed pixels
 * straight into them, with no window arrays to allocate and then copy (that copy's pass over
 * a 10980² scene cost each worker about 0.6 s). Only changed pixels are written, so most
 * pages of the scene-sized rasters are never touched, which spares the OS backing them.
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
