import type { PixelWindow } from '../raster/grid.ts';
import type { OpenedPair } from './open-pair.ts';
import type { DetectConfig } from './profiles.ts';

/**
 * Window width on striped scenes with the learned classifier: its ~50 float planes take about
 * 200 bytes per pixel, 0.7 GB per worker for a full-width strip of a 10980-wide scene, but
 * 70 MB for 1024 columns. Reading a strip once per column window costs far less than the
 * classifier does per pixel.
 */
const LEARNED_COLUMNS = 1024;

/** `win` cut into windows of `rows` × `cols` pixels (smaller at the right and bottom edges), in scan order. */
export function windowsOf(win: PixelWindow, rows: number, cols: number): PixelWindow[] {
  const out: PixelWindow[] = [];
  for (let y = 0; y < win.height; y += rows)
    for (let x = 0; x < win.width; x += cols)
      out.push({
        x0: win.x0 + x,
        y0: win.y0 + y,
        width: Math.min(cols, win.width - x),
        height: Math.min(rows, win.height - y),
      });
  return out;
}

/**
 * Stage "windows": the processed window of the before grid cut into the windows that are read
 * and classified one at a time. Windows of whole blocks: neither reader caches decoded blocks,
 * so a window cutting a tile in two would decode it twice. Strips: at least 256 whole rows.
 * Tiles of identically tiled grids: one tile per window, whose bands (a few MB) stay in the
 * CPU cache while they are converted and classified; full-width windows of a 10980-wide scene
 * do not.
 */
export function planWindows(
  { before, after, pair }: OpenedPair,
  config: DetectConfig,
  opts: { windowRows?: number; windowColumns?: number },
): PixelWindow[] {
  const alignment = pair.alignment;
  const win = alignment.window;
  const block = Math.max(1, before.blockHeight);
  const rows = opts.windowRows ?? Math.ceil(256 / block) * block;
  const tiled =
    opts.windowRows === undefined &&
    before.blockWidth < win.width &&
    // A reprojected after date is read over each window's footprint, which a tile keeps small
    // whatever the after file's blocks.
    (alignment.warp !== undefined ||
      (alignment.note === undefined &&
        before.blockWidth === after.blockWidth &&
        before.blockHeight === after.blockHeight));
  // With the learned classifier, the width split into equal parts of at most LEARNED_COLUMNS:
  // no sliver of a few columns at the right edge, read with margins wider than itself and
  // drawn into the calibration sample as if it were a whole window.
  const columns =
    opts.windowColumns ??
    (config.learned ? Math.ceil(win.width / Math.ceil(win.width / LEARNED_COLUMNS)) : win.width);
  return windowsOf(
    win,
    tiled ? block : rows,
    tiled ? before.blockWidth : Math.min(columns, win.width),
  );
}

/**
 * The windows the calibration sample is drawn from: evenly spread windows until about 4× the
 * sample size has been read — evenly down the rows, and across the columns by the
 * golden-ratio sequence (so that tile windows are not all taken from one column) — or every
 * window when that many are wanted (the sequence would take some twice and miss others).
 */
export function sampleWindows(
  windows: PixelWindow[],
  win: PixelWindow,
  sampleSize: number,
): PixelWindow[] {
  const want = Math.min(
    windows.length,
    Math.max(1, Math.ceil((4 * sampleSize) / (windows[0].width * windows[0].height))),
  );
  if (want >= windows.length) return windows;
  const across = Math.ceil(win.width / windows[0].width);
  const down = windows.length / across;
  return Array.from({ length: want }, (_, k) => {
    const row = Math.floor(((k + 0.5) * down) / want);
    const col = Math.floor((((k + 0.5) * 0.6180339887) % 1) * across);
    return windows[row * across + col];
  });
}
