/**
 * Generated re-check scenes with known answers: three Sentinel-2-like dates (before,
 * violation, now; 4 bands, reflectance ×10000) over fields of crop and ploughed soil, with
 * buildings put up on the violation date and, on the new date, demolished and replanted,
 * demolished to soil, left standing, partly cleared, extended, or finished from a cleared
 * plot. For the re-check's tests, its evaluation (scripts/eval-recheck.ts) and the demo.
 */
import { crsFromEpsg } from '../raster/crs.ts';
import type { RasterGrid } from '../raster/grid.ts';
import { rng } from '../random.ts';
import type { Polygon } from '../geo/types.ts';
import type { RecheckOutcome } from './recheck-rule.ts';

/** What happens to a site between the violation date and the new date. */
export const SITE_KINDS = [
  'replanted', // demolished, crop back
  'soil', // demolished, bare soil left (ploughed, not yet sown)
  'standing', // the building remains
  'partly_cleared', // a third demolished, the rest standing
  'extended', // the building stands and a wing of 60 % of it is added beside it
  'finished', // cleared plot (foundations) on the violation date, a building on it now
  'untouched', // no violation at all: crop on every date (a 图斑 drawn on unchanged ground)
] as const;
export type SiteKind = (typeof SITE_KINDS)[number];

/** The answer a re-check should give for each kind. */
export const EXPECTED: Record<SiteKind, RecheckOutcome> = {
  replanted: 'restored',
  soil: 'restored',
  standing: 'not_restored',
  partly_cleared: 'not_restored',
  extended: 'resumed',
  finished: 'resumed',
  untouched: 'not_restored',
};

export interface RecheckSite {
  kind: SiteKind;
  expected: RecheckOutcome;
  /** The 图斑: the violation's footprint, lon/lat (CGCS2000). */
  polygon: Polygon;
}

export interface RecheckTriple {
  grid: RasterGrid;
  before: Uint16Array[];
  violation: Uint16Array[];
  now: Uint16Array[];
  sites: RecheckSite[];
}

const CROP = [400, 700, 500, 3500];
const BARE = [900, 1100, 1300, 2000];
const BUILT = [1400, 1500, 1600, 1900];
const SPECTRA = [CROP, BARE, BUILT];

/** Cells a side of one site's plot; a site's building is 8–12 px a side in it. */
const CELL = 40;

/**
 * Sites in a row-major layout of CELL-pixel plots on a CGCS2000 lon/lat grid of 0.0001°
 * pixels (about 9 × 11 m at 35° N), from (originX, originY). Each date gets its own gain
 * (±6 %), noise, and a seasonal field ploughed or sown, as real dates differ.
 */
export function recheckTriple(
  kinds: SiteKind[],
  opts: { seed?: number; originX?: number; originY?: number; perRow?: number } = {},
): RecheckTriple {
  const r = rng(opts.seed ?? 1);
  const perRow = opts.perRow ?? Math.min(kinds.length, 4);
  const rows = Math.ceil(kinds.length / perRow);
  const width = (perRow + 2) * CELL;
  const height = (rows + 2) * CELL;
  const grid: RasterGrid = {
    width,
    height,
    crs: crsFromEpsg(4490),
    originX: opts.originX ?? 112.02,
    originY: opts.originY ?? 35.06,
    pixelWidth: 0.0001,
    pixelHeight: 0.0001,
  };
  const n = width * height;
  const states = [new Uint8Array(n), new Uint8Array(n), new Uint8Array(n)];
  // Background fields: crop, some fields ploughed; one field changes season on each date.
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const f = Math.floor(y / 20) * 97 + Math.floor(x / 20) * 31;
      const base = f % 7 === 3 ? 1 : 0;
      for (let d = 0; d < 3; d++) states[d][y * width + x] = f % 11 === d + 1 ? 1 - base : base;
    }
  const fill = (d: number, x0: number, y0: number, w: number, h: number, v: number) => {
    for (let y = y0; y < y0 + h; y++)
      for (let x = x0; x < x0 + w; x++) states[d][y * width + x] = v;
  };
  const sites: RecheckSite[] = kinds.map((kind, i) => {
    const cx = (1 + (i % perRow)) * CELL;
    const cy = (1 + Math.floor(i / perRow)) * CELL;
    const w = 8 + Math.floor(r() * 5);
    const h = 8 + Math.floor(r() * 5);
    const x0 = cx + Math.floor((CELL - w) / 2) - 4;
    const y0 = cy + Math.floor((CELL - h) / 2);
    // The plot is crop on the before date and around the building on every date.
    for (let d = 0; d < 3; d++) fill(d, cx + 4, cy + 4, CELL - 8, CELL - 8, 0);
    const onViolation = kind === 'untouched' ? 0 : kind === 'finished' ? 1 : 2;
    if (kind !== 'untouched') fill(1, x0, y0, w, h, onViolation);
    const now = kind === 'replanted' || kind === 'untouched' ? 0 : kind === 'soil' ? 1 : 2;
    fill(2, x0, y0, w, h, now);
    if (kind === 'partly_cleared') fill(2, x0, y0, Math.ceil(w / 3), h, 0);
    if (kind === 'extended') fill(2, x0 + w, y0, Math.ceil(w * 0.6), h, 2);
    const lon = (px: number) => grid.originX + px * grid.pixelWidth;
    const lat = (py: number) => grid.originY - py * grid.pixelHeight;
    const polygon: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [lon(x0), lat(y0 + h)],
          [lon(x0 + w), lat(y0 + h)],
          [lon(x0 + w), lat(y0)],
          [lon(x0), lat(y0)],
          [lon(x0), lat(y0 + h)],
        ],
      ],
    };
    return { kind, expected: EXPECTED[kind], polygon };
  });
  const render = (s: Uint8Array) => {
    const gain = 0.94 + r() * 0.12;
    const bands = [0, 1, 2, 3].map(() => new Uint16Array(n));
    for (let i = 0; i < n; i++)
      for (let b = 0; b < 4; b++) {
        const noise = (r() + r() + r() - 1.5) * 80;
        bands[b][i] = Math.max(1, Math.round(SPECTRA[s[i]][b] * gain + noise));
      }
    return bands;
  };
  return {
    grid,
    before: render(states[0]),
    violation: render(states[1]),
    now: render(states[2]),
    sites,
  };
}
