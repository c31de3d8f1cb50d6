import { describe, expect, it } from 'vitest';
import { memoryScene } from '../../raster/memory-scene.ts';
import { rng, syntheticPair } from '../../raster/test-fixtures.ts';
import { classifyWindow } from '../classify.ts';
import { detectChanges } from '../detect.ts';
import { scoreMasks } from '../metrics.ts';
import { BARE, BUILT, SEASONAL, type ChangeModel } from '../model.ts';
import { PROFILES } from '../profiles.ts';
import type { LearnedClassifier } from './classify-learned.ts';
import { FEATURE_NAMES, NF, windowFeatures } from './features.ts';
import { predictLogit, trainGbdt, type Gbdt } from './gbdt.ts';
import shipped from './s2-model.json' with { type: 'json' };

/** A hand-built tree: z ≤ 5 → −2; else d_red ≤ 0 → +1, else +3. */
const TREE: Gbdt = {
  base: 0.5,
  trees: [
    {
      feature: [0, -1, 3, -1, -1],
      threshold: [5, 0, 0, 0, 0],
      left: [1, 0, 3, 0, 0],
      right: [2, 0, 4, 0, 0],
      value: [0, -2, 0, 1, 3],
    },
  ],
};

/** A 4-band CVA model with unit gain, no offset and noise scale 100 (z = RMS of diff/100). */
function unitModel(learned: LearnedClassifier | null): ChangeModel {
  return {
    roles: ['blue', 'green', 'red', 'nir'],
    masks: { blue: 0, green: 1, red: 2, nir: 3, scl: -1, spectral: 4 },
    nodataBefore: null,
    nodataAfter: null,
    gain: [1, 1, 1, 1],
    offset: [0, 0, 0, 0],
    sigma: [100, 100, 100, 100],
    dark: [0, 0, 0, 0],
    threshold: 4,
    config: { ...PROFILES.s2.config, learned },
  };
}

describe('gbdt', () => {
  it('walks a hand-built tree', () => {
    const x = new Float32Array(NF);
    x[0] = 4;
    expect(predictLogit(TREE, x)).toBeCloseTo(-1.5);
    x[0] = 6;
    x[3] = -1;
    expect(predictLogit(TREE, x)).toBeCloseTo(1.5);
    x[3] = 2;
    expect(predictLogit(TREE, x)).toBeCloseTo(3.5);
  });

  it('learns a non-linear rule it was not given (x0 > 0.5 xor x1 > 0.5)', () => {
    const r = rng(7);
    const n = 4000;
    const x = new Float32Array(n * 3);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      for (let f = 0; f < 3; f++) x[i * 3 + f] = r();
      y[i] = x[i * 3] > 0.5 !== x[i * 3 + 1] > 0.5 ? 1 : 0;
    }
    const m = trainGbdt(x, y, 3, { trees: 30, maxDepth: 3, learningRate: 0.3 });
    let right = 0;
    for (let i = 0; i < n; i++) if (predictLogit(m, x, i * 3) > 0 === (y[i] === 1)) right++;
    expect(right / n).toBeGreaterThan(0.97);
    // Deterministic: the same data and seed give the same trees.
    expect(trainGbdt(x, y, 3, { trees: 30, maxDepth: 3, learningRate: 0.3 })).toEqual(m);
  });
});

describe('windowFeatures', () => {
  // 8×6 window: unchanged everywhere but a 2×2 block whose bands all rise by 600 (z = 6).
  const w = 8;
  const h = 6;
  const n = w * h;
  const before = [400, 700, 500, 3500].map((v) => new Float32Array(n).fill(v));
  const after = before.map((b) => b.slice());
  for (const i of [2 * w + 3, 2 * w + 4, 3 * w + 3, 3 * w + 4]) for (const a of after) a[i] += 600;
  const valid = new Uint8Array(n).fill(1);
  const f = windowFeatures(unitModel(null), before, after, valid, w, h, 2);

  it('takes the pixels above the z bar as candidates', () => {
    expect([...f.index]).toEqual([2 * w + 3, 2 * w + 4, 3 * w + 3, 3 * w + 4]);
    expect(f.score[2 * w + 3]).toBe(60);
    expect(f.score[0]).toBe(0);
  });

  it('computes spectral and context features', () => {
    const at = (name: (typeof FEATURE_NAMES)[number]): number => f.x[FEATURE_NAMES.indexOf(name)];
    expect(at('z')).toBeCloseTo(6);
    expect(at('d_red')).toBeCloseTo(6);
    expect(at('ndvi_before')).toBeCloseTo(3000 / 4000);
    expect(at('ndvi_after')).toBeCloseTo(3000 / 5200);
    // 3×3 box around (3, 2): four changed pixels of nine.
    expect(at('z_mean3')).toBeCloseTo((4 * 6) / 9);
    // 7×7 box around (3, 2), clipped to the window's rows 0–5 and columns 0–6: 4 of 42.
    expect(at('z_mean7')).toBeCloseTo((4 * 6) / 42);
  });
});

describe('learned classification of a window', () => {
  const learned: LearnedClassifier = {
    ...TREE,
    kind: 'gbdt',
    features: [...FEATURE_NAMES],
    zMin: 2,
    cut: 0,
    trainedOn: [],
    options: {},
  };
  it('marks the candidates the model accepts, then applies the farmland rules', () => {
    const w = 6;
    const n = w * 2;
    const before = [400, 700, 500, 3500].map((v) => new Float32Array(n).fill(v));
    const after = before.map((b) => b.slice());
    // Pixel 1: z = 4 (candidate, rejected by the tree); pixel 2: crop → grey roof (built);
    // pixel 3: crop → soil (seasonal: ploughing, decided per object by detect.ts); pixel 4:
    // crop → denser crop (greening, rejected).
    for (let b = 0; b < 4; b++) after[b][1] += 400;
    [1400, 1500, 1600, 1900].forEach((v, b) => (after[b][2] = v));
    [900, 1100, 1300, 2000].forEach((v, b) => (after[b][3] = v));
    [300, 600, 300, 4500].forEach((v, b) => (after[b][4] = v));
    const r = classifyWindow(unitModel(learned), before, after, n, w);
    expect([...r.cls]).toEqual([0, 0, BUILT, SEASONAL, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(r.greening).toBe(1);
    // Bare soil that was not a dense crop before stays bare.
    [2000, 2000, 2000, 2600].forEach((v, b) => (before[b][3] = v));
    expect(classifyWindow(unitModel(learned), before, after, n, w).cls[3]).toBe(BARE);
    expect(r.score[1]).toBe(40);
    expect(() => classifyWindow(unitModel(learned), before, after, n)).toThrow(/width/);
  });
});

describe('the shipped s2 model', () => {
  const model = shipped as unknown as LearnedClassifier;
  it('is trained on this build’s features and stays small', () => {
    expect(model.features).toEqual([...FEATURE_NAMES]);
    expect(JSON.stringify(model).length).toBeLessThan(1 << 20);
  });

  it('decides like the plain tree walk (packing and early exit change nothing)', () => {
    const pair = syntheticPair(96, 5);
    const n = 96 * 96;
    const before = pair.before.map((b) => Float32Array.from(b));
    const after = pair.after.map((b) => Float32Array.from(b));
    // Greening rejection off: then every accepted candidate is marked (built, bare or seasonal).
    const m = unitModel(model);
    m.config = { ...m.config, rejectGreening: false };
    const valid = new Uint8Array(n).fill(1);
    const f = windowFeatures(m, before, after, valid, 96, 96, model.zMin);
    expect(f.index.length).toBeGreaterThan(100);
    const r = classifyWindow(m, before, after, n, 96);
    let accepted = 0;
    for (let k = 0; k < f.index.length; k++) {
      const yes = predictLogit(model, f.x, k * NF) > model.cut;
      if (yes) accepted++;
      expect(r.cls[f.index[k]] !== 0).toBe(yes);
    }
    expect(accepted).toBeGreaterThan(0);
  });

  it('finds the planted buildings of the synthetic pair', async () => {
    const pair = syntheticPair(128, 3);
    const scene = (label: string, bands: Uint16Array[]) =>
      memoryScene(label, pair.grid, { '1': bands[0], '2': bands[1], '3': bands[2], '4': bands[3] });
    const r = await detectChanges(scene('before', pair.before), scene('after', pair.after), {
      sensor: 's2',
      config: { learned: model },
    });
    const s = scoreMasks(r.mask, pair.truth);
    expect(s.recall).toBeGreaterThan(0.9);
    expect(s.precision).toBeGreaterThan(0.9);
    // The field ploughed between the dates (x 0..31, y 32..63) is not a change.
    for (let y = 32; y < 64; y++) for (let x = 0; x < 32; x++) expect(r.mask[y * 128 + x]).toBe(0);
  });
});
