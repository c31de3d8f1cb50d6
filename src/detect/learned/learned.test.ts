import { describe, expect, it } from 'vitest';
import { memoryScene } from '../../raster/memory-scene.ts';
import { rng, syntheticPair, type SyntheticPair } from '../../raster/test-fixtures.ts';
import { classifyWindow } from '../classify.ts';
import { detectChanges } from '../detect.ts';
import { scoreMasks } from '../metrics.ts';
import { BARE, BUILT, SEASONAL } from '../model.ts';
import { PROFILES } from '../profiles.ts';
import { plainRadiometry } from '../radiometry.ts';
import { changeProbability, learnedHalo } from './classify-learned.ts';
import { logitFunction } from './compiled-trees.ts';
import {
  FEATURE_NAMES,
  FEATURE_RADIUS,
  featurePlanes,
  RGB_FEATURE_NAMES,
  sceneStats,
} from './features.ts';
import { predictLogit, trainGbdt, type Gbdt } from './gbdt.ts';
import { shippedClassifier } from './shipped.ts';
import shipped from './s2-model.json' with { type: 'json' };
import { maskBandsOf } from '../masks.ts';
import type { ChangeModel } from '../types.ts';
import type { LearnedClassifier } from './classifier.ts';

const F = (name: (typeof FEATURE_NAMES)[number]): number => FEATURE_NAMES.indexOf(name);

/** A hand-built tree: magnitude ≤ 1 → −3; else d_red ≤ 0 → +1, else +3. */
const TREE: Gbdt = {
  base: 0,
  trees: [
    {
      feature: [F('magnitude'), -1, F('d_red'), -1, -1],
      threshold: [1, 0, 0, 0, 0],
      left: [1, 0, 3, 0, 0],
      right: [2, 0, 4, 0, 0],
      value: [0, -3, 0, 1, 3],
    },
  ],
};

/** A 4-band CVA model with unit gain, no offset, noise scale 100, and scene statistics that standardise by 1000 around 0. */
function unitModel(learned: LearnedClassifier | null): ChangeModel {
  return {
    roles: ['blue', 'green', 'red', 'nir'],
    masks: maskBandsOf(['blue', 'green', 'red', 'nir']),
    nodataBefore: null,
    nodataAfter: null,
    radiometry: plainRadiometry(PROFILES.s2.config),
    gain: [1, 1, 1, 1],
    offset: [0, 0, 0, 0],
    sigma: [100, 100, 100, 100],
    dark: [0, 0, 0, 0],
    threshold: 4,
    learnedStats: {
      centre: [
        [0, 0, 0, 0],
        [0, 0, 0, 0],
      ],
      spread: [
        [1000, 1000, 1000, 1000],
        [1000, 1000, 1000, 1000],
      ],
      magnitude: Array.from({ length: 257 }, (_, k) => k / 256),
    },
    config: { ...PROFILES.s2.config, learned },
  };
}

function classifier(g: Gbdt, smoothRadius = 0, cut = 0.5, magnitudeFloor = 0): LearnedClassifier {
  return {
    ...g,
    kind: 'gbdt-pixel',
    features: [...FEATURE_NAMES],
    smoothRadius,
    cut,
    magnitudeFloor,
    trainedOn: [],
    options: {},
  };
}

describe('gbdt', () => {
  it('walks a hand-built tree', () => {
    const x = new Float32Array(FEATURE_NAMES.length);
    x[F('magnitude')] = 0.5;
    expect(predictLogit(TREE, x)).toBeCloseTo(-3);
    x[F('magnitude')] = 2;
    x[F('d_red')] = -1;
    expect(predictLogit(TREE, x)).toBeCloseTo(1);
    x[F('d_red')] = 2;
    expect(predictLogit(TREE, x)).toBeCloseTo(3);
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

describe('featurePlanes', () => {
  // 12×10 window: unchanged everywhere but a 2×2 block whose bands all rise by 600.
  const w = 12;
  const h = 10;
  const n = w * h;
  const before = [400, 700, 500, 3500].map((v) => new Float32Array(n).fill(v));
  const after = before.map((b) => b.slice());
  const block = [4 * w + 5, 4 * w + 6, 5 * w + 5, 5 * w + 6];
  for (const i of block) for (const a of after) a[i] += 600;
  const m = unitModel(null);
  const planes = featurePlanes(m, m.learnedStats!, before, after, w, h);
  const at = (name: (typeof FEATURE_NAMES)[number], i: number): number => planes[F(name)][i];

  it('gives one plane per feature name', () => {
    expect(planes).toHaveLength(FEATURE_NAMES.length);
    for (const p of planes) expect(p).toHaveLength(n);
  });

  it('computes the per-pixel spectral features on the scene statistics', () => {
    const i = block[0];
    expect(at('before_red', i)).toBeCloseTo(0.5);
    expect(at('after_red', i)).toBeCloseTo(1.1);
    expect(at('d_red', i)).toBeCloseTo(0.6);
    expect(at('magnitude', i)).toBeCloseTo(1.2);
    expect(at('magnitude', 0)).toBe(0);
    expect(at('ndvi_before', i)).toBeCloseTo(3000 / 4000);
    expect(at('ndvi_after', i)).toBeCloseTo(3000 / 5200);
    expect(at('bright_before', i)).toBeCloseTo(5100 / 4 / 10000);
    // The same spectrum scaled up: no change of direction.
    expect(at('spectral_angle', 0)).toBeCloseTo(0);
    expect(at('spectral_angle', i)).toBeGreaterThan(0.05);
    // Above every stored magnitude quantile but the last (1.0): rank 1.
    expect(at('magnitude_rank', i)).toBe(1);
    expect(at('magnitude_rank', 0)).toBe(0);
  });

  it('computes box context clipped at the window edges', () => {
    // 3×3 box around (5, 4): four changed pixels of nine.
    expect(at('magnitude_mean3', block[0])).toBeCloseTo((4 * 1.2) / 9);
    // 31×31 around (0, 0), clipped to the whole 12×10 window: 4 of 120.
    expect(at('magnitude_mean31', 0)).toBeCloseTo((4 * 1.2) / 120);
  });

  it('fills a previous window’s planes with exactly what fresh planes get', () => {
    const r = rng(5);
    const noisy = (bands: Float32Array[]): Float32Array[] =>
      bands.map((b) => b.map((v) => v + r() * 300));
    const [b2, a2] = [noisy(before), noisy(after)];
    const fresh = featurePlanes(m, m.learnedStats!, b2, a2, w, h);
    // A scratch copy of the first window's planes, then used again for the second.
    const spare: Float32Array[] = planes.map((p) => p.slice());
    const reused = featurePlanes(m, m.learnedStats!, b2, a2, w, h, spare);
    expect(reused.every((p) => spare.includes(p))).toBe(true);
    reused.forEach((p, k) => expect(Array.from(p), FEATURE_NAMES[k]).toEqual(Array.from(fresh[k])));
  });

  it('does not call a one-pixel misregistration change', () => {
    // An edge shifted one pixel right on the after date: large per-pixel difference, zero
    // once the after date may move by a pixel.
    const b = [400, 700, 500, 3500].map((v) => new Float32Array(n).fill(v));
    const a = b.map((x) => x.slice());
    for (let y = 0; y < h; y++) {
      for (let k = 0; k < 4; k++) b[k][y * w + 3] += 2000;
      for (let k = 0; k < 4; k++) a[k][y * w + 4] += 2000;
    }
    const p = featurePlanes(m, m.learnedStats!, b, a, w, h);
    expect(p[F('magnitude')][4 * w + 3]).toBeGreaterThan(3);
    expect(p[F('magnitude_minshift')][4 * w + 3]).toBe(0);
    expect(p[F('magnitude_minshift')][4 * w + 4]).toBe(0);
  });

  it('gives the inner pixels of a window read with FEATURE_RADIUS of margin the whole scene’s values', () => {
    const r = rng(11);
    const W = 70;
    const H = 60;
    const bb = [0, 1, 2, 3].map(() => Float32Array.from({ length: W * H }, () => 500 + r() * 3000));
    const aa = [0, 1, 2, 3].map(() => Float32Array.from({ length: W * H }, () => 500 + r() * 3000));
    const whole = featurePlanes(m, m.learnedStats!, bb, aa, W, H);
    // Inner window x 20..39, y 22..35; read with the margin: x 5..54, y 7..50.
    const [x0, y0, x1, y1] = [
      20 - FEATURE_RADIUS,
      22 - FEATURE_RADIUS,
      40 + FEATURE_RADIUS,
      36 + FEATURE_RADIUS,
    ];
    const cw = x1 - x0;
    const cut = (b: Float32Array[]): Float32Array[] =>
      b.map((p) => {
        const o = new Float32Array(cw * (y1 - y0));
        for (let y = y0; y < y1; y++) o.set(p.subarray(y * W + x0, y * W + x1), (y - y0) * cw);
        return o;
      });
    const part = featurePlanes(m, m.learnedStats!, cut(bb), cut(aa), cw, y1 - y0);
    for (let f = 0; f < FEATURE_NAMES.length; f++)
      for (let y = 22; y < 36; y++)
        for (let x = 20; x < 40; x++)
          expect(part[f][(y - y0) * cw + x - x0], FEATURE_NAMES[f]).toBeCloseTo(
            whole[f][y * W + x],
            4,
          );
  });

  it('describes three-band RGB with GRVI in place of NDVI and no NIR features', () => {
    // Blue, green, red DNs; a 2×2 block turns from green field to grey roof.
    const rgbModel: ChangeModel = {
      ...m,
      roles: ['blue', 'green', 'red'],
      masks: maskBandsOf(['blue', 'green', 'red']),
      config: { ...PROFILES.rgb.config, learned: null },
      radiometry: null,
      learnedStats: {
        centre: [
          [60, 120, 80],
          [60, 120, 80],
        ],
        spread: [
          [100, 100, 100],
          [100, 100, 100],
        ],
        magnitude: m.learnedStats!.magnitude,
      },
    };
    const b = [60, 120, 80].map((v) => new Float32Array(n).fill(v));
    const a = b.map((x) => x.slice());
    for (const i of block) [150, 150, 150].forEach((v, k) => (a[k][i] = v));
    const p = featurePlanes(rgbModel, rgbModel.learnedStats!, b, a, w, h);
    expect(p).toHaveLength(RGB_FEATURE_NAMES.length);
    expect(RGB_FEATURE_NAMES.some((f) => f.includes('nir') || f.includes('ndwi'))).toBe(false);
    const G = (name: string, i: number): number => p[RGB_FEATURE_NAMES.indexOf(name)][i];
    const i = block[0];
    expect(G('grvi_before', i)).toBeCloseTo(40 / 200);
    expect(G('grvi_after', i)).toBe(0);
    expect(G('grvi_change', i)).toBeCloseTo(-0.2);
    // 8-bit DNs over their full scale.
    expect(G('bright_before', i)).toBeCloseTo(260 / 3 / 255);
    expect(G('bright_after', i)).toBeCloseTo(150 / 255);
    // Standardised around the centre by 100: differences 0.9, 0.3, 0.7.
    expect(G('magnitude', i)).toBeCloseTo(Math.hypot(0.9, 0.3, 0.7));
    expect(G('d_blue_mean7', i)).toBeGreaterThan(0);
    expect(G('magnitude', 0)).toBe(0);
  });

  it('takes scene statistics from a sample', () => {
    const s = sceneStats(m, { before, after });
    expect(s.centre[0][2]).toBe(500);
    expect(s.spread[1][3]).toBeGreaterThan(0);
    expect(s.magnitude).toHaveLength(257);
    expect(s.magnitude[256]).toBeGreaterThan(s.magnitude[0]);
  });
});

describe('learned classification of a window', () => {
  it('marks the pixels the model accepts, then applies the farmland rules', () => {
    const w = 6;
    const n = w * 2;
    const before = [400, 700, 500, 3500].map((v) => new Float32Array(n).fill(v));
    const after = before.map((b) => b.slice());
    // Pixel 1: a small change (magnitude 0.8, rejected by the tree); pixel 2: crop → grey roof
    // (built); pixel 3: crop → soil (seasonal: ploughing, decided per object by detect.ts);
    // pixel 4: crop → denser crop (greening, rejected).
    for (let b = 0; b < 4; b++) after[b][1] += 400;
    [1400, 1500, 1600, 1900].forEach((v, b) => (after[b][2] = v));
    [900, 1100, 1300, 2000].forEach((v, b) => (after[b][3] = v));
    [300, 600, 300, 4500].forEach((v, b) => (after[b][4] = v));
    const learned = classifier(TREE);
    const r = classifyWindow(unitModel(learned), before, after, n, w);
    expect([...r.cls]).toEqual([0, 0, BUILT, SEASONAL, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(r.greening).toBe(1);
    // Bare soil that was not a dense crop before stays bare.
    [2000, 2000, 2000, 2600].forEach((v, b) => (before[b][3] = v));
    expect(classifyWindow(unitModel(learned), before, after, n, w).cls[3]).toBe(BARE);
    // The score is the CVA's z·10 (noise scale 100): √(Σ d² / (4·100²)) = √135.25 → 116.
    expect(r.score[2]).toBe(116);
    expect(() => classifyWindow(unitModel(learned), before, after, n)).toThrow(/width/);
  });

  it('averages the probabilities over smoothRadius before the cut', () => {
    const w = 9;
    const n = w * w;
    const before = [400, 700, 500, 3500].map((v) => new Float32Array(n).fill(v));
    const after = before.map((b) => b.slice());
    // One changed pixel alone: its own probability passes, but the 5×5 average does not.
    for (let b = 0; b < 4; b++) after[b][4 * w + 4] = [1400, 1500, 1600, 1900][b];
    expect(classifyWindow(unitModel(classifier(TREE, 0)), before, after, n, w).cls[4 * w + 4]).toBe(
      BUILT,
    );
    expect(
      classifyWindow(unitModel(classifier(TREE, 2)), before, after, n, w).cls.every((c) => c === 0),
    ).toBe(true);
  });

  it('keeps a rim of unchanged pixels out however its neighbours vote (magnitudeFloor)', () => {
    const w = 9;
    const n = w * w;
    // Fallow soil on both dates (a rim of crop would be dropped as greening anyway).
    const before = [900, 1100, 1300, 2000].map((v) => new Float32Array(n).fill(v));
    const after = before.map((b) => b.slice());
    const block: number[] = [];
    for (let y = 3; y < 6; y++) for (let x = 3; x < 6; x++) block.push(y * w + x);
    for (const i of block) for (let b = 0; b < 4; b++) after[b][i] = [1900, 2000, 2200, 2400][b];
    // A rim pixel's 3×3 box holds 2 or 3 changed pixels of 9: mean probability 0.25–0.35.
    const marked = (floor: number): number[] => {
      const r = classifyWindow(unitModel(classifier(TREE, 1, 0.2, floor)), before, after, n, w);
      return [...r.cls.keys()].filter((i) => r.cls[i] !== 0);
    };
    expect(marked(0)).toContain(3 * w + 2);
    expect(marked(0).length).toBeGreaterThan(block.length);
    expect(marked(0.1)).toEqual(block);
  });

  it('refuses a model trained on other features', () => {
    const old = { ...classifier(TREE), features: ['z', 'd_red'] };
    const m = unitModel(null);
    const one = (): Float32Array[] => [0, 1, 2, 3].map(() => new Float32Array(1));
    const planes = featurePlanes(m, m.learnedStats!, one(), one(), 1, 1);
    expect(() => changeProbability(old, planes, new Uint8Array(1).fill(1))).toThrow(/train:detect/);
  });
});

describe('the shipped s2 model', () => {
  const model = shipped as unknown as LearnedClassifier;
  /** detectChanges with the shipped model on a synthetic pair, in windows of the given size. */
  const runner =
    (pair: SyntheticPair) =>
    (windowRows?: number, windowColumns?: number): ReturnType<typeof detectChanges> => {
      const scene = (label: string, bands: Uint16Array[]) =>
        memoryScene(label, pair.grid, {
          '1': bands[0],
          '2': bands[1],
          '3': bands[2],
          '4': bands[3],
        });
      return detectChanges(scene('before', pair.before), scene('after', pair.after), {
        sensor: 's2',
        windowRows,
        windowColumns,
        config: { learned: model },
      });
    };
  it('is trained on this build’s features and stays small', () => {
    expect(model.features).toEqual([...FEATURE_NAMES]);
    expect(JSON.stringify(model).length).toBeLessThan(3 << 20);
    expect(learnedHalo(model)).toBe(FEATURE_RADIUS + model.smoothRadius);
  });

  it('walks its trees as generated code to the same log-odds as the tree walk, bit for bit', () => {
    // The model's numbers as the float32 values inference uses, for predictLogit to compare with.
    const f32 = {
      ...model,
      trees: model.trees.map((t) => ({
        ...t,
        threshold: t.threshold.map(Math.fround),
        value: t.value.map(Math.fround),
      })),
    };
    const logit = logitFunction(model);
    const r = rng(17);
    const x = new Float32Array(FEATURE_NAMES.length);
    let differ = 0;
    for (let k = 0; k < 3000; k++) {
      for (let f = 0; f < FEATURE_NAMES.length; f++) x[f] = (r() - 0.5) * 6;
      // Every tenth vector sits exactly on one of the root's thresholds (≤ goes left).
      if (k % 10 === 0) x[f32.trees[k % 150].feature[0]] = f32.trees[k % 150].threshold[0];
      if (logit(x) !== predictLogit(f32, x)) differ++;
    }
    expect(differ).toBe(0);
  });

  it('gives the same mask whatever the windows (the margin gives every window its context)', async () => {
    const run = runner(syntheticPair(160, 4));
    // 16 × 48 windows (margins on all four sides, the last column of windows narrower) against one.
    const [strips, whole] = await Promise.all([run(16, 48), run(160, 160)]);
    expect(strips.mask.some((v) => v > 0)).toBe(true);
    expect([...strips.mask]).toEqual([...whole.mask]);
  });

  it('takes its scene statistics from every pixel of a scene under a million, whatever the windows', async () => {
    // 360,000 pixels: more than the rule path's sample of 2^18, so a smaller sample would
    // skip pixels, and which ones would depend on the windows.
    const size = 600;
    const pair = syntheticPair(size, 5);
    const run = runner(pair);
    const [strips, tiles] = await Promise.all([run(size, size), run(100, 256)]);
    expect(strips.model.learnedStats).toEqual(tiles.model.learnedStats);
    const every = {
      before: pair.before.map((b) => Float32Array.from(b)),
      after: pair.after.map((b) => Float32Array.from(b)),
    };
    expect(strips.model.learnedStats).toEqual(sceneStats(strips.model, every));
  });

  it('finds the planted buildings of the synthetic pair', async () => {
    const pair = syntheticPair(128, 3);
    const r = await runner(pair)();
    const s = scoreMasks(r.mask, pair.truth);
    expect(s.recall).toBeGreaterThan(0.8);
    expect(s.precision).toBeGreaterThan(0.8);
    // The field ploughed between the dates (x 0..31, y 32..63) is not a change.
    for (let y = 32; y < 64; y++) for (let x = 0; x < 32; x++) expect(r.mask[y * 128 + x]).toBe(0);
  });
});

describe('the shipped rgb model', () => {
  const model = shippedClassifier('rgb');
  const pair = syntheticPair(128, 3);
  /** The synthetic pair's red, green and blue as an RGB scene, values divided by `div` (Uint16). */
  const rgbScene = (label: string, bands: Uint16Array[], div: number) =>
    memoryScene(label, pair.grid, {
      '1': bands[2].map((v) => (div === 1 ? v : Math.min(255, v / div))),
      '2': bands[1].map((v) => (div === 1 ? v : Math.min(255, v / div))),
      '3': bands[0].map((v) => (div === 1 ? v : Math.min(255, v / div))),
    });

  it('is trained on the three-band features, held out by LEVIR source image', () => {
    // Read once per process: its trees' generated code is built once, not per run.
    expect(shippedClassifier('rgb')).toBe(model);
    expect(model.features).toEqual([...RGB_FEATURE_NAMES]);
    expect(model.trainedOn.length).toBeGreaterThan(5);
    expect(model.trainedOn.every((g) => /^(test|train|val)_\d+$/.test(g))).toBe(true);
  });

  it('finds the planted roofs of an 8-bit RGB pair, and refuses values beyond 8 bits or a four-band model', async () => {
    const run = (div: number) =>
      detectChanges(rgbScene('before', pair.before, div), rgbScene('after', pair.after, div), {
        sensor: 'rgb',
        config: { learned: model },
      });
    const r = await run(16);
    // No seasonal rule without NIR: the ploughed field may be marked too, so recall only.
    expect(scoreMasks(r.mask, pair.truth).recall).toBeGreaterThan(0.7);
    await expect(run(1)).rejects.toThrow(/values up to 255 expected \(8-bit RGB/);
    // The s2 model describes four bands: refused before any window is classified.
    await expect(
      detectChanges(rgbScene('before', pair.before, 16), rgbScene('after', pair.after, 16), {
        sensor: 'rgb',
        config: { learned: shipped as unknown as LearnedClassifier },
      }),
    ).rejects.toThrow(/trained on 42 features of other bands than this scene's blue, green, red/);
  });
});
