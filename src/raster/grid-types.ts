import type { Crs } from './crs.ts';

/*
 * The shapes the grid and its reprojection share (grid.ts aligns, warp.ts reprojects): kept
 * apart so that neither of the two imports the other's types.
 */

/**
 * A north-up pixel grid: pixel (col,row)'s top-left corner is at
 * (originX + col·pixelWidth, originY − row·pixelHeight) in `crs` units.
 */
export interface RasterGrid {
  width: number;
  height: number;
  crs: Crs;
  originX: number;
  originY: number;
  pixelWidth: number;
  pixelHeight: number;
}

/** A pixel window: columns x0..x0+width−1, rows y0..y0+height−1. */
export interface PixelWindow {
  x0: number;
  y0: number;
  width: number;
  height: number;
}

/**
 * Where the before grid's points fall in the after grid when the two are in different CRSs:
 * after-grid pixel coordinates (fractional; pixel (c, r) spans c..c+1) computed exactly at
 * the nodes of a mesh every `step` before pixels over the processed window, interpolated
 * bilinearly in between. This is GDAL's approximate transformer: between two UTM /
 * Gauss–Krüger zones the mapping bends far less than a hundredth of a pixel over a mesh cell
 * (the test measures it), and one exact transform per 4096 pixels instead of one per pixel
 * keeps a 10980² tile's reprojection cheap. Plain numbers, so that it travels to worker
 * threads.
 */
export interface WarpMesh {
  step: number;
  /** The before-grid point of node (0, 0); node (i, j) is (x0 + i·step, y0 + j·step). */
  x0: number;
  y0: number;
  /** Nodes across and down. */
  cols: number;
  rows: number;
  /** After-grid pixel coordinates per node (row-major); NaN where the transform fails. */
  ax: Float64Array;
  ay: Float64Array;
}

/**
 * How the after scene lines up with the before scene: after column of before column c is
 * floor(offX + (c + 0.5)·scaleX) (nearest neighbour on pixel centres), rows likewise.
 */
export interface GridAlignment {
  /** The processed window, in before-grid pixels. */
  window: PixelWindow;
  scaleX: number;
  offX: number;
  scaleY: number;
  offY: number;
  /** True when after pixels map one-to-one onto before pixels (same size, whole-pixel offset). */
  identity: boolean;
  /** Human note when the grids differ (never a silent crop or resample). */
  note?: string;
  /** When the CRSs differ: the mesh mapping before pixels into the after grid (warp.ts), and that grid's size. */
  warp?: { mesh: WarpMesh; width: number; height: number };
}
