import type { DetectConfig } from './profiles.ts';

/**
 * Sentinel-2 L2A scene classification classes that hide the ground: 0 no data, 1 saturated,
 * 3 cloud shadow, 8/9 cloud medium/high probability, 10 thin cirrus, 11 snow (ESA L2A ATBD).
 */
const SCL_INVALID = new Set([0, 1, 3, 8, 9, 10, 11]);

/** Indices of the bands a validity test needs, within a window's band list. */
export interface MaskBands {
  blue: number;
  green: number;
  red: number;
  nir: number; // −1 when absent
  scl: number; // −1 when absent
  spectral: number; // how many spectral bands lead the list
}

/**
 * Mark pixels usable on one date: no declared nodata or NaN in any spectral band, not an
 * all-zero pixel (the fill of orthorectified tiles), SCL not cloud/shadow/snow, and — when the
 * sensor's reflectance scale is known — not a bright white cloud (blue, green and red all
 * above 0.25 reflectance) nor a dark shadow (NIR below 0.04 and visible below 0.04; this
 * also drops deep water, which holds no farmland). Uncalibrated DNs get only the first tests:
 * a relative brightness test would take new roofs for clouds.
 */
export function validPixels(
  bands: Float32Array[],
  idx: MaskBands,
  n: number,
  nodata: number | null,
  cfg: DetectConfig,
  out = new Uint8Array(n),
): Uint8Array {
  const scale = cfg.reflectanceScale;
  const cloud = scale === null ? Infinity : 0.25 * scale;
  const dark = scale === null ? -Infinity : 0.04 * scale;
  const { blue, green, red, nir, scl, spectral } = idx;
  for (let i = 0; i < n; i++) {
    let ok = 1;
    let zero = true;
    for (let b = 0; b < spectral; b++) {
      const v = bands[b][i];
      if (v !== v || v === nodata) {
        ok = 0;
        break;
      }
      if (v !== 0) zero = false;
    }
    if (ok && zero) ok = 0;
    if (ok && scl >= 0 && SCL_INVALID.has(bands[scl][i])) ok = 0;
    if (ok && scale !== null) {
      const B = bands[blue][i];
      const G = bands[green][i];
      const R = bands[red][i];
      if (B > cloud && G > cloud && R > cloud) ok = 0;
      else if (nir >= 0 && bands[nir][i] < dark && (B + G + R) / 3 < dark) ok = 0;
    }
    out[i] = ok;
  }
  return out;
}
