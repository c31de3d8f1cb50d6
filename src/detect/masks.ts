import type { DetectConfig } from './profiles.ts';

/**
 * Sentinel-2 L2A scene classification classes that hide the ground: 0 no data, 1 saturated,
 * 3 cloud shadow, 8/9 cloud medium/high probability, 10 thin cirrus, 11 snow (ESA L2A ATBD).
 */
const SCL_INVALID = new Uint8Array(256);
for (const c of [0, 1, 3, 8, 9, 10, 11]) SCL_INVALID[c] = 1;

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
  // The visible and NIR bands as locals and any other spectral band (SWIR) in a list: a loop
  // over an array of bands per pixel ran three times slower than these straight tests.
  const B = bands[blue];
  const G = bands[green];
  const R = bands[red];
  const hasNir = nir >= 0;
  const N = hasNir ? bands[nir] : B;
  const S = scl >= 0 ? bands[scl] : undefined;
  const others: Float32Array[] = [];
  for (let b = 0; b < spectral; b++)
    if (![blue, green, red, nir].includes(b)) others.push(bands[b]);
  const hasNodata = nodata !== null;
  const nd = nodata ?? NaN; // NaN equals nothing: no declared nodata
  for (let i = 0; i < n; i++) {
    const b = B[i];
    const g = G[i];
    const r = R[i];
    const q = N[i];
    // NaN is the one value not equal to itself.
    let ok =
      b === b &&
      g === g &&
      r === r &&
      q === q &&
      (!hasNodata || (b !== nd && g !== nd && r !== nd && q !== nd));
    let nonzero = b !== 0 || g !== 0 || r !== 0 || q !== 0;
    for (let k = 0; k < others.length; k++) {
      const v = others[k][i];
      if (v !== v || v === nd) ok = false;
      else if (v !== 0) nonzero = true;
    }
    if (!ok || !nonzero) out[i] = 0;
    else if (S && SCL_INVALID[S[i]] === 1) out[i] = 0;
    else if (b > cloud && g > cloud && r > cloud) out[i] = 0;
    else if (hasNir && q < dark && (b + g + r) / 3 < dark) out[i] = 0;
    else out[i] = 1;
  }
  return out;
}
