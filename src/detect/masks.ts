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
  // Band by band (sequential memory, simple loops) rather than pixel by pixel.
  const nonzero = new Uint8Array(n);
  out.fill(1, 0, n);
  for (let b = 0; b < spectral; b++) {
    const band = bands[b];
    for (let i = 0; i < n; i++) {
      const v = band[i];
      if (v !== v || v === nodata) out[i] = 0;
      else if (v !== 0) nonzero[i] = 1;
    }
  }
  for (let i = 0; i < n; i++) out[i] &= nonzero[i];
  if (scl >= 0) {
    const s = bands[scl];
    for (let i = 0; i < n; i++) if (out[i] && SCL_INVALID.has(s[i])) out[i] = 0;
  }
  if (scale !== null) {
    const [B, G, R] = [bands[blue], bands[green], bands[red]];
    const N = nir >= 0 ? bands[nir] : undefined;
    for (let i = 0; i < n; i++) {
      if (!out[i]) continue;
      if (B[i] > cloud && G[i] > cloud && R[i] > cloud) out[i] = 0;
      else if (N && N[i] < dark && (B[i] + G[i] + R[i]) / 3 < dark) out[i] = 0;
    }
  }
  return out;
}
