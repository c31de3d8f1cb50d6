import { describe, expect, it } from 'vitest';
import { rng } from '../raster/test-fixtures.ts';
import { fitChangeModel } from './calibrate.ts';
import { classifyWindow } from './classify.ts';
import { chiSquareSurvival, fitIrMad, symmetricEigen, type MadTransform } from './irmad.ts';
import { PROFILES } from './profiles.ts';
import { maskBandsOf } from './masks.ts';

/** Standard normal deviates (Box–Muller) from a seeded generator. */
function normal(seed: number): () => number {
  const r = rng(seed);
  return () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/**
 * A synthetic 6-band pair: correlated surfaces (three cover types mixed per pixel), the after
 * date under another gain and offset per band plus sensor noise, and a planted 4 % of pixels
 * whose surface changed (a random spectral shift).
 */
function syntheticPair(m: number, seed: number) {
  const nb = 6;
  const g = normal(seed);
  const r = rng(seed + 1);
  const covers = [
    [90, 40, 35, 110, 70, 30], // crop
    [110, 55, 65, 75, 110, 80], // soil
    [120, 70, 80, 85, 95, 85], // built
  ];
  const gain = [0.8, 1.1, 0.9, 1.25, 0.7, 1.05];
  const offset = [12, -4, 6, -10, 9, 3];
  const before = Array.from({ length: nb }, () => new Float32Array(m));
  const after = Array.from({ length: nb }, () => new Float32Array(m));
  const changed = new Uint8Array(m);
  for (let i = 0; i < m; i++) {
    const w0 = r();
    const w1 = r() * (1 - w0);
    const w = [w0, w1, 1 - w0 - w1];
    const shift = r() < 0.04;
    changed[i] = shift ? 1 : 0;
    const s = shift ? Array.from({ length: nb }, () => 25 * g()) : undefined;
    for (let b = 0; b < nb; b++) {
      const surface = w[0] * covers[0][b] + w[1] * covers[1][b] + w[2] * covers[2][b];
      before[b][i] = surface + 2 * g();
      after[b][i] = gain[b] * (surface + (s ? s[b] : 0)) + offset[b] + 2 * g();
    }
  }
  return { before, after, changed, nb };
}

function chiSquares(t: MadTransform, before: Float32Array[], after: Float32Array[]): Float64Array {
  const nb = before.length;
  const out = new Float64Array(before[0].length);
  for (let i = 0; i < out.length; i++)
    for (let k = 0; k < nb; k++) {
      let d = t.offset[k];
      for (let b = 0; b < nb; b++)
        d += t.before[k * nb + b] * before[b][i] + t.after[k * nb + b] * after[b][i];
      out[i] += d * d;
    }
  return out;
}

describe('chi-square survival', () => {
  it('matches tabulated 5 % and 1 % critical values for even and odd degrees of freedom', () => {
    // Abramowitz & Stegun table 26.8.
    for (const [x, k, p] of [
      [3.841, 1, 0.05],
      [5.991, 2, 0.05],
      [11.07, 5, 0.05],
      [12.592, 6, 0.05],
      [16.812, 6, 0.01],
      [13.277, 4, 0.01],
    ])
      expect(chiSquareSurvival(x, k)).toBeCloseTo(p, 4);
    expect(chiSquareSurvival(0, 6)).toBe(1);
  });
});

describe('symmetric eigen-decomposition', () => {
  it('reconstructs the matrix from its eigenvalues and orthonormal eigenvectors', () => {
    const n = 5;
    const r = rng(3);
    const m = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j <= i; j++) m[i * n + j] = m[j * n + i] = r() * 2 - 1;
    const { values, vectors } = symmetricEigen(m, n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        let dot = 0;
        for (let k = 0; k < n; k++) {
          s += vectors[i * n + k] * values[k] * vectors[j * n + k];
          dot += vectors[k * n + i] * vectors[k * n + j];
        }
        expect(s).toBeCloseTo(m[i * n + j], 10);
        expect(dot).toBeCloseTo(i === j ? 1 : 0, 10);
      }
  });
});

describe('IR-MAD', () => {
  const { before, after, changed, nb } = syntheticPair(40000, 11);
  const t = fitIrMad(before, after);
  const chi = chiSquares(t, before, after);

  it('gives unchanged pixels a chi-square statistic with mean ≈ nb', () => {
    let s = 0;
    let n = 0;
    for (let i = 0; i < chi.length; i++)
      if (!changed[i]) {
        s += chi[i];
        n++;
      }
    expect(s / n).toBeGreaterThan(0.85 * nb);
    expect(s / n).toBeLessThan(1.15 * nb);
    expect(t.iterations).toBeGreaterThan(1);
    expect(t.rho.every((r, k) => k === 0 || r >= t.rho[k - 1])).toBe(true);
  });

  it('recovers the planted changes through an unknown gain and offset per band', () => {
    const cut = 16.812; // χ²₆ at 1 %
    let tp = 0;
    let fp = 0;
    let pos = 0;
    for (let i = 0; i < chi.length; i++) {
      if (changed[i]) pos++;
      if (chi[i] > cut) {
        if (changed[i]) tp++;
        else fp++;
      }
    }
    expect(tp / pos).toBeGreaterThan(0.9);
    expect(fp / (chi.length - pos)).toBeLessThan(0.02);
  });

  it('is invariant to a further linear change of either date', () => {
    const after2 = after.map((a, b) => a.map((v) => v * (1 + 0.1 * b) - 5 * b));
    const chi2 = chiSquares(fitIrMad(before, after2), before, after2);
    // Equal up to the reweighting's stopping tolerance (correlations within 1e-4).
    for (let i = 0; i < 500; i++)
      expect(Math.abs(chi2[i] - chi[i])).toBeLessThan(0.01 * chi[i] + 0.01);
  });

  it('drives the Landsat profile: planted changes above the threshold, unchanged pixels below', () => {
    const config = PROFILES.landsat.config;
    expect(config.magnitude).toBe('irmad');
    const roles = PROFILES.landsat.order.filter((r) => r !== 'qa');
    const masks = maskBandsOf(roles);
    const model = fitChangeModel({ before, after }, roles, masks, config, {
      before: null,
      after: null,
    });
    expect(model.mad).toBeDefined();
    const n = before[0].length;
    const { score } = classifyWindow(model, before, after, n);
    let hit = 0;
    let pos = 0;
    let fp = 0;
    for (let i = 0; i < n; i++) {
      const z = score[i] / 10;
      if (changed[i]) {
        pos++;
        if (z > model.threshold) hit++;
      } else if (z > model.threshold) fp++;
    }
    expect(hit / pos).toBeGreaterThan(0.8);
    expect(fp / (n - pos)).toBeLessThan(0.01);
    // A scene-classification band after the spectral ones (Sentinel-2's SCL) is not a MAD input.
    const scl = new Float32Array(n).fill(4);
    const withScl = classifyWindow(
      { ...model, masks: { ...masks, quality: nb } },
      [...before, scl],
      [...after, scl],
      n,
    );
    expect(withScl.score).toEqual(score);
  });
});
