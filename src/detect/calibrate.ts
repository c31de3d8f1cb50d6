import { histogram, kittlerIllingworthBin, otsuBin, quantile } from '../raster/threshold.ts';
import { fitIrMad, madZ2 } from './irmad.ts';
import type { DetectConfig, Role } from './profiles.ts';
import { plainRadiometry } from './radiometry.ts';
import type { MaskBands, ChangeModel, PairRadiometry, PairSample } from './types.ts';

/** Share of the sample taken as pseudo-invariant features (PIFs) at each iteration. */
const PIF_SHARE = 0.3;
/** Below this correlation between dates on the invariant pixels, a regression slope is noise. */
const MIN_PIF_CORRELATION = 0.7;

/**
 * Orthogonal (major-axis) regression y = m·x + c. Both dates carry noise, so ordinary least
 * squares would bias the slope towards zero; Canty & Nielsen (2008) normalise on invariant
 * pixels with orthogonal regression for this reason.
 */
function majorAxis(
  x: Float32Array,
  y: Float32Array,
  use: Uint8Array,
): { m: number; c: number; r: number } {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < x.length; i++)
    if (use[i]) {
      n++;
      sx += x[i];
      sy += y[i];
    }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < x.length; i++)
    if (use[i]) {
      const dx = x[i] - mx;
      const dy = y[i] - my;
      sxx += dx * dx;
      syy += dy * dy;
      sxy += dx * dy;
    }
  let m = (syy - sxx + Math.sqrt((syy - sxx) ** 2 + 4 * sxy * sxy)) / (2 * sxy);
  if (!Number.isFinite(m) || m <= 0) m = sxx > 0 ? Math.sqrt(syy / sxx) : 1;
  if (!Number.isFinite(m) || m <= 0) m = 1;
  return { m, c: my - m * mx, r: sxy / Math.sqrt(sxx * syy) };
}

function meanOf(x: Float32Array, use: Uint8Array): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++)
    if (use[i]) {
      s += x[i];
      n++;
    }
  return s / n;
}

function mad(d: Float64Array): number {
  const med = quantile(d, 0.5);
  const dev = d.map((v) => Math.abs(v - med));
  return 1.4826 * quantile(dev, 0.5);
}

/**
 * Fit the change model of a scene pair from a sample of pixels valid on both dates.
 *
 * Radiometric normalisation: iterated pseudo-invariant-feature regression. Start from the
 * pixels least changed after per-date standardisation (the reference CVA's view), fit each
 * band after→before by orthogonal regression on them, re-pick the least-changed pixels under
 * the fit, refit (two rounds, after Canty, Nielsen & Schmidt 2004's iterated selection).
 * Chosen over histogram matching because matching forces the two histograms equal, which
 * erases real change when much of a scene changed (a whole district built over).
 *
 * Noise scale: per band 1.4826·MAD of the normalised difference (robust to the changed
 * minority). With `config.magnitude` 'irmad', z comes from the IR-MAD variates instead
 * (irmad.ts) and the PIF fit serves only the spectral rules. Threshold: Kittler–Illingworth
 * (or Otsu) on the histogram of z, never below `config.minZ`.
 */
export function fitChangeModel(
  sample: PairSample,
  roles: Role[],
  masks: MaskBands,
  config: DetectConfig,
  nodata: { before: number | null; after: number | null },
  radiometry: PairRadiometry | null = plainRadiometry(config),
): ChangeModel {
  const nb = roles.length;
  const m = sample.before[0]?.length ?? 0;
  const gain = new Array<number>(nb).fill(1);
  const offset = new Array<number>(nb).fill(0);
  const sigma = new Array<number>(nb).fill(1);
  const dark = new Array<number>(nb).fill(0);
  const model: ChangeModel = {
    roles,
    masks,
    nodataBefore: nodata.before,
    nodataAfter: nodata.after,
    radiometry,
    gain,
    offset,
    sigma,
    dark,
    threshold: config.minZ,
    config,
  };
  if (m < 16) return model;
  const zeroB = radiometry?.before.zero ?? 0;
  const zeroA = radiometry?.after.zero ?? 0;
  // Round 0: per-date standardisation.
  for (let b = 0; b < nb; b++) {
    const stats = (a: Float32Array): [number, number] => {
      let s = 0;
      let q = 0;
      for (let i = 0; i < m; i++) {
        s += a[i];
        q += a[i] * a[i];
      }
      const mean = s / m;
      return [mean, Math.sqrt(Math.max(q / m - mean * mean, 1e-12))];
    };
    const [mb, sb] = stats(sample.before[b]);
    const [ma, sa] = stats(sample.after[b]);
    gain[b] = sb / sa;
    offset[b] = mb - gain[b] * ma;
    sigma[b] = sb;
  }
  const z2 = new Float64Array(m);
  const diffs = Array.from({ length: nb }, () => new Float64Array(m));
  const computeZ = (): void => {
    for (let b = 0; b < nb; b++) {
      const d = diffs[b];
      const x = sample.before[b];
      const y = sample.after[b];
      for (let i = 0; i < m; i++) d[i] = gain[b] * y[i] + offset[b] - x[i];
    }
    z2.fill(0);
    for (let b = 0; b < nb; b++) {
      const d = diffs[b];
      const k = 1 / (sigma[b] * sigma[b] * nb);
      for (let i = 0; i < m; i++) z2[i] += d[i] * d[i] * k;
    }
  };
  const use = new Uint8Array(m);
  for (let round = 0; round < 3; round++) {
    computeZ();
    const cut = quantile(z2, PIF_SHARE);
    for (let i = 0; i < m; i++) use[i] = z2[i] <= cut ? 1 : 0;
    for (let b = 0; b < nb; b++) {
      const { m: slope, c, r } = majorAxis(sample.before[b], sample.after[b], use);
      if (r >= MIN_PIF_CORRELATION) {
        gain[b] = 1 / slope;
        offset[b] = -c / slope;
      } else {
        // Invariant pixels of one cover type barely correlate and do not fix a slope; fall
        // back to a pure gain (ratio of their means), the calibration difference that
        // remains once dark offsets are small. A gain of reflectance: each date's known zero
        // (radiometry.ts) comes off first, else a stored offset would pass for a gain.
        gain[b] = (meanOf(sample.before[b], use) - zeroB) / (meanOf(sample.after[b], use) - zeroA);
        offset[b] = zeroB - gain[b] * zeroA;
      }
    }
    // Noise scale under the new fit.
    for (let b = 0; b < nb; b++) {
      const d = diffs[b];
      const x = sample.before[b];
      const y = sample.after[b];
      for (let i = 0; i < m; i++) d[i] = gain[b] * y[i] + offset[b] - x[i];
      sigma[b] = Math.max(mad(d), 1e-6 * (config.reflectanceScale ?? 255), 1e-9);
    }
  }
  for (let b = 0; b < nb; b++) dark[b] = quantile(sample.before[b], 0.001);
  computeZ();
  if (config.magnitude === 'irmad') {
    // z from the IR-MAD variates; the PIF fit above still serves the spectral rules.
    const t = fitIrMad(sample.before, sample.after);
    model.mad = { before: t.before, after: t.after, offset: t.offset };
    madZ2(model.mad, sample.before, sample.after, 0, m, z2, new Float64Array(m));
  }
  const z = z2.map(Math.sqrt);
  const hi = Math.max(quantile(z, 0.999), config.minZ * 2);
  const bins = 256;
  const hist = histogram(z, 0, hi, bins);
  const bin = config.threshold === 'ki' ? kittlerIllingworthBin(hist) : otsuBin(hist);
  model.threshold = Math.max(config.minZ, ((bin + 1) * hi) / bins);
  return model;
}
