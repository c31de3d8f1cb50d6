import { GengbaoError } from '../errors.ts';
import { ellipsoidalAreaM2 } from '../geo/area.ts';
import { toLonLat, type Crs } from './crs.ts';

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

/** One line naming a grid, for error messages that must name both grids. */
export function describeGrid(g: RasterGrid): string {
  return `${g.width}×${g.height} px, EPSG:${g.crs.epsg}, origin (${g.originX}, ${g.originY}), pixel ${g.pixelWidth}×${g.pixelHeight}`;
}

/** Ellipsoidal area (m²) of the grid's centre pixel: the pixel area used for the minimum mapping unit. */
export function pixelAreaM2(g: RasterGrid): number {
  const f = toLonLat(g.crs);
  const c = Math.floor(g.width / 2);
  const r = Math.floor(g.height / 2);
  const x = g.originX + c * g.pixelWidth;
  const y = g.originY - r * g.pixelHeight;
  const ring = [
    f(x, y),
    f(x + g.pixelWidth, y),
    f(x + g.pixelWidth, y - g.pixelHeight),
    f(x, y - g.pixelHeight),
    f(x, y),
  ];
  return ellipsoidalAreaM2({ type: 'Polygon', coordinates: [ring] });
}

/** How the after scene lines up with the before scene. */
export interface GridAlignment {
  /** The processed window, in before-grid pixels. */
  window: PixelWindow;
  /** Add to a before-grid column/row to get the after-grid column/row. */
  afterDx: number;
  afterDy: number;
  /** Human note when the window is not the whole before grid (never a silent crop). */
  note?: string;
}

const close = (a: number, b: number, tol: number): boolean => Math.abs(a - b) <= tol;

/**
 * Line up the after grid with the before grid. Identical grids pass through; grids with the
 * same CRS and pixel size whose origins differ by whole pixels are processed on their overlap,
 * and the returned note says so; everything else (another CRS, another resolution, a
 * sub-pixel shift, no overlap) is refused with a message naming both grids, because
 * resampling would invent radiometry the change test then reads as change.
 */
export function alignGrids(
  before: RasterGrid,
  after: RasterGrid,
  names = { before: 'before', after: 'after' },
): GridAlignment {
  const both = `${names.before}: ${describeGrid(before)}; ${names.after}: ${describeGrid(after)}`;
  if (before.crs.epsg !== after.crs.epsg)
    throw new GengbaoError(
      'bad_input',
      `before and after are in different CRSs (${both}); reproject one onto the other's grid`,
      {
        field: 'after',
      },
    );
  const tolRes = before.pixelWidth * 1e-6;
  if (
    !close(before.pixelWidth, after.pixelWidth, tolRes) ||
    !close(before.pixelHeight, after.pixelHeight, tolRes)
  )
    throw new GengbaoError(
      'bad_input',
      `before and after have different pixel sizes (${both}); resample one onto the other's grid`,
      {
        field: 'after',
      },
    );
  const dxf = (before.originX - after.originX) / before.pixelWidth;
  const dyf = (after.originY - before.originY) / before.pixelHeight;
  const dx = Math.round(dxf);
  const dy = Math.round(dyf);
  if (!close(dx, dxf, 1e-3) || !close(dy, dyf, 1e-3))
    throw new GengbaoError(
      'bad_input',
      `before and after grids are shifted by a fraction of a pixel (${both}); resample one onto the other`,
      {
        field: 'after',
      },
    );
  // Overlap in before-grid pixels: after column c' = c + dx.
  const x0 = Math.max(0, -dx);
  const y0 = Math.max(0, -dy);
  const x1 = Math.min(before.width, after.width - dx);
  const y1 = Math.min(before.height, after.height - dy);
  if (x1 <= x0 || y1 <= y0)
    throw new GengbaoError('bad_input', `before and after do not overlap (${both})`, {
      field: 'after',
    });
  const window = { x0, y0, width: x1 - x0, height: y1 - y0 };
  const whole =
    x0 === 0 && y0 === 0 && window.width === before.width && window.height === before.height;
  return {
    window,
    afterDx: dx,
    afterDy: dy,
    note: whole
      ? undefined
      : `before and after grids differ (${both}); processing their overlap, before-grid window x ${x0}..${x1 - 1}, y ${y0}..${y1 - 1}`,
  };
}
