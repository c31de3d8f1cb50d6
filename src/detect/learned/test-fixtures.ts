/**
 * A generated pair where verdicts contradict the shipped s2 model (learning from verdicts'
 * tests: adapt.test.ts, test/detection-learning.test.ts).
 */
import type { Areal } from '../../geo/types.ts';
import { maskBandsOf } from '../masks.ts';
import { PROFILES } from '../profiles.ts';
import { plainRadiometry } from '../radiometry.ts';
import type { ChangeModel } from '../types.ts';
import type { LearnedClassifier } from './classifier.ts';
import { sceneStats } from './features.ts';
import { toLonLat } from '../../raster/crs.ts';
import type { RasterGrid } from '../../raster/grid.ts';
import { memoryScene } from '../../raster/memory-scene.ts';
import { rng, utmGrid } from '../../raster/test-fixtures.ts';

const CROP = [400, 700, 500, 3500];
const BUILT = [1400, 1500, 1600, 1900];
/** A bluish bright cover the shipped s2 model takes for a roof (say a film the officers judge no change). */
const FILM = [1900, 1500, 1300, 1400];

/**
 * 192 × 96 px of crop, 32 patches in a grid turned between the dates: every other one into a
 * roof (real change), the rest into FILM. The left half's patches teach, the right half's are
 * held out.
 */
export function filmScene(over: Partial<RasterGrid> = {}) {
  const W = 192;
  const H = 96;
  const grid = utmGrid(W, H, over);
  const r = rng(3);
  const n = W * H;
  const before = [0, 1, 2, 3].map(() => new Uint16Array(n));
  const after = [0, 1, 2, 3].map(() => new Uint16Array(n));
  const cover = new Uint8Array(n);
  const patches: { x0: number; y0: number; w: number; h: number; real: boolean }[] = [];
  for (let y0 = 8; y0 + 14 < H; y0 += 24)
    for (let x0 = 8; x0 + 14 < W; x0 += 24) {
      const p = {
        x0,
        y0,
        w: 8 + Math.floor(r() * 6),
        h: 8 + Math.floor(r() * 6),
        real: patches.length % 2 === 0,
      };
      patches.push(p);
      for (let y = y0; y < y0 + p.h; y++)
        for (let x = x0; x < x0 + p.w; x++) cover[y * W + x] = p.real ? 1 : 2;
    }
  const noise = (): number => (r() + r() + r() - 1.5) * 80;
  for (let i = 0; i < n; i++)
    for (let b = 0; b < 4; b++) {
      before[b][i] = Math.max(1, CROP[b] + noise());
      const s = cover[i] === 0 ? CROP : cover[i] === 1 ? BUILT : FILM;
      after[b][i] = Math.max(1, s[b] * 1.05 + noise());
    }
  const f = toLonLat(grid.crs);
  const corner = (x: number, y: number) =>
    f(grid.originX + x * grid.pixelWidth, grid.originY - y * grid.pixelHeight);
  const outline = (p: (typeof patches)[number]): Areal => ({
    type: 'Polygon',
    coordinates: [
      [
        corner(p.x0, p.y0),
        corner(p.x0 + p.w, p.y0),
        corner(p.x0 + p.w, p.y0 + p.h),
        corner(p.x0, p.y0 + p.h),
        corner(p.x0, p.y0),
      ],
    ],
  });
  const scene = (label: string, bands: Uint16Array[]) =>
    memoryScene(label, grid, { '1': bands[0], '2': bands[1], '3': bands[2], '4': bands[3] });
  return {
    W,
    grid,
    before: before,
    after: after,
    patches,
    outline,
    beforeScene: () => scene('before', before),
    afterScene: () => scene('after', after),
  };
}

/**
 * The rules' model of a generated blue-green-red-NIR pair as detect.ts fits it, roughly: 5 %
 * gain, noise σ 85, a z² bar of 6; with `learned`, its scene statistics from every pixel of
 * the window (detect.ts takes a sample).
 */
export function s2PairModel(
  learned: LearnedClassifier | null,
  before: Float32Array[],
  after: Float32Array[],
): ChangeModel {
  const m: ChangeModel = {
    roles: ['blue', 'green', 'red', 'nir'],
    masks: maskBandsOf(['blue', 'green', 'red', 'nir']),
    nodataBefore: null,
    nodataAfter: null,
    radiometry: plainRadiometry(PROFILES.s2.config),
    gain: [1 / 1.05, 1 / 1.05, 1 / 1.05, 1 / 1.05],
    offset: [0, 0, 0, 0],
    sigma: [85, 85, 85, 85],
    dark: [300, 600, 400, 1800],
    threshold: 6,
    config: { ...PROFILES.s2.config, learned },
  };
  return { ...m, learnedStats: sceneStats(m, { before, after }) };
}
