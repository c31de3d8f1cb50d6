import type { Role } from './profiles.ts';
import type { ChangeModel, Radiometry, MaskBands } from './types.ts';

/**
 * Sentinel-2 L2A scene classification classes that hide the ground: 0 no data, 1 saturated,
 * 3 cloud shadow, 8/9 cloud medium/high probability, 10 thin cirrus, 11 snow (ESA L2A ATBD).
 */
const SCL_INVALID = new Uint8Array(256);
for (const c of [0, 1, 3, 8, 9, 10, 11]) SCL_INVALID[c] = 1;

/**
 * Landsat Collection 2 QA_PIXEL bits that hide the ground: 0 fill, 1 dilated cloud, 2 cirrus,
 * 3 cloud, 4 cloud shadow, 5 snow (USGS, Landsat 8–9 and 4–7 Collection 2 product guides; the
 * same bits in Level-1 and Level-2 products). Bits 6 (clear) and 7 (water) leave a pixel usable.
 */
const QA_PIXEL_INVALID = 0b111111;

/** Whether a quality band's value hides the ground. */
function hidden(kind: MaskBands['qualityKind'], v: number): boolean {
  return kind === 'scl' ? SCL_INVALID[v] === 1 : (v & QA_PIXEL_INVALID) !== 0;
}

/**
 * The indices of a window's band list: the spectral `roles` in order, then the quality band
 * when there is one (Sentinel-2's SCL, Landsat's QA_PIXEL as role `qa`).
 */
export function maskBandsOf(roles: Role[], quality?: Role): MaskBands {
  return {
    blue: roles.indexOf('blue'),
    green: roles.indexOf('green'),
    red: roles.indexOf('red'),
    nir: roles.indexOf('nir'),
    quality: quality ? roles.length : -1,
    qualityKind: quality === 'qa' ? 'qa-pixel' : 'scl',
    spectral: roles.length,
  };
}

/**
 * Mark pixels usable on one date: no declared nodata or NaN in any spectral band, not an
 * all-zero pixel (the fill of orthorectified tiles), SCL not cloud/shadow/snow, and — when the
 * date's reflectance is known (`radiometry`, radiometry.ts) — not a bright cloud nor a dark shadow (NIR below 0.04
 * and visible below 0.04; this also drops deep water, which holds no farmland). A cloud is
 * bright in all three visible bands (above 0.25) and, as in Braaten, Cohen & Yang's (2015)
 * test, either not redder than it is green or very bright (green above 0.39): a cloud is
 * white, while bright roofs, sand and bare soil redden. Brightness alone masked 32 % of
 * abudhabi's labelled change and 13–18 % of bercy's, paris' and cupertino's in the
 * cloud-free OSCD scenes; with the colour test 0–7 % (OSCD rules F1 0.243 → 0.257).
 * Uncalibrated DNs get only the first tests: a relative brightness test would take new roofs
 * for clouds.
 */
export function validPixels(
  bands: Float32Array[],
  idx: MaskBands,
  n: number,
  nodata: number | null,
  radiometry: Radiometry | null,
): Uint8Array {
  const out = new Uint8Array(n);
  const { blue, green, red, nir, quality, qualityKind, spectral } = idx;
  const t = validityTest(nodata, radiometry, nir >= 0);
  // The visible and NIR bands as locals and any other spectral band (SWIR) in a list: a loop
  // over an array of bands per pixel ran three times slower than these straight tests.
  const B = bands[blue];
  const G = bands[green];
  const R = bands[red];
  const N = nir >= 0 ? bands[nir] : B;
  const Q = quality >= 0 ? bands[quality] : undefined;
  const others: Float32Array[] = [];
  for (let b = 0; b < spectral; b++)
    if (![blue, green, red, nir].includes(b)) others.push(bands[b]);
  for (let i = 0; i < n; i++) {
    let otherBad = false;
    let otherData = false;
    for (let k = 0; k < others.length; k++) {
      const v = others[k][i];
      if (v !== v || (t.hasNodata && v === t.nodata)) otherBad = true;
      else if (v !== 0) otherData = true;
    }
    out[i] =
      !otherBad && !(Q && hidden(qualityKind, Q[i])) && usable(t, B[i], G[i], R[i], N[i], otherData)
        ? 1
        : 0;
  }
  return out;
}

/** Pixels of a window (`n` pixels, bands in `model.roles` order) valid on both dates. */
export function validOnBothDates(
  model: Pick<ChangeModel, 'masks' | 'nodataBefore' | 'nodataAfter' | 'radiometry'>,
  before: Float32Array[],
  after: Float32Array[],
  n: number,
): Uint8Array {
  const r = model.radiometry;
  const valid = validPixels(before, model.masks, n, model.nodataBefore, r?.before ?? null);
  const va = validPixels(after, model.masks, n, model.nodataAfter, r?.after ?? null);
  for (let i = 0; i < n; i++) valid[i] &= va[i];
  return valid;
}

/** One date's validity constants (see validPixels), resolved once per window. */
export interface ValidityTest {
  hasNodata: boolean;
  nodata: number;
  /** Reflectance above which blue, green and red together are a cloud if green ≥ red (Infinity for DNs). */
  cloud: number;
  /** Green reflectance above which such a bright pixel is a cloud whatever its colour. */
  cloudBright: number;
  /** Reflectance below which NIR and the visible mean are shadow or water (−Infinity for DNs). */
  dark: number;
  hasNir: boolean;
}

/** The tests' constants in one date's stored units; DNs of unknown radiometry (null) get no absolute test. */
export function validityTest(
  nodata: number | null,
  radiometry: Radiometry | null,
  hasNir: boolean,
): ValidityTest {
  const at = (reflectance: number, none: number): number =>
    radiometry === null ? none : radiometry.zero + reflectance * radiometry.scale;
  return {
    hasNodata: nodata !== null,
    nodata: nodata ?? NaN,
    cloud: at(0.25, Infinity),
    cloudBright: at(0.39, Infinity),
    dark: at(0.04, -Infinity),
    hasNir,
  };
}

/**
 * The tests of validPixels on one pixel's blue, green, red and NIR values (NIR repeats blue
 * when there is none): no NaN or nodata, not all zero (unless another band holds data), not a
 * bright cloud, not dark shadow. Shared by the per-band and the interleaved classifiers.
 */
export function usable(
  t: ValidityTest,
  b: number,
  g: number,
  r: number,
  q: number,
  otherData = false,
): boolean {
  // NaN is the one value not equal to itself.
  return (
    b === b &&
    g === g &&
    r === r &&
    q === q &&
    (!t.hasNodata || (b !== t.nodata && g !== t.nodata && r !== t.nodata && q !== t.nodata)) &&
    (b !== 0 || g !== 0 || r !== 0 || q !== 0 || otherData) &&
    !(b > t.cloud && g > t.cloud && r > t.cloud && (g >= r || g > t.cloudBright)) &&
    !(t.hasNir && q < t.dark && (b + g + r) / 3 < t.dark)
  );
}
