import { describe, expect, it } from 'vitest';
import type { Areal } from '../../geo/types.ts';
import { toLonLat } from '../../raster/crs.ts';
import { memoryScene } from '../../raster/memory-scene.ts';
import { rng, utmGrid } from '../../raster/test-fixtures.ts';
import { detectChanges } from '../detect.ts';
import { adaptedClassifier, adaptToVerdicts, verdictWindows, type JudgedOutline } from './adapt.ts';
import { trainGbdt } from './gbdt.ts';
import { shippedClassifier } from './shipped.ts';

const CROP = [400, 700, 500, 3500];
const BUILT = [1400, 1500, 1600, 1900];
/** A bluish bright cover the shipped s2 model takes for a roof (say a film the officers judge no change). */
const FILM = [1900, 1500, 1300, 1400];

/**
 * 192 × 96 px of crop, 32 patches in a grid turned between the dates: every other one into a
 * roof (real change), the rest into FILM. The left half's patches teach, the right half's are
 * held out.
 */
function filmScene() {
  const W = 192;
  const H = 96;
  const grid = utmGrid(W, H);
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
    patches,
    outline,
    before: () => scene('before', before),
    after: () => scene('after', after),
  };
}

describe('learning from verdicts', () => {
  it('boosts on from given scores: the new trees add to them', () => {
    // One feature; the "shipped" scores say x > 0 is change, the labels say x > 0.5.
    const n = 2000;
    const x = Float32Array.from({ length: n }, (_, i) => i / n - 0.25);
    const y = Uint8Array.from(x, (v) => (v > 0.5 ? 1 : 0));
    const init = Float64Array.from(x, (v) => (v > 0 ? 3 : -3));
    const m = trainGbdt(
      x,
      y,
      1,
      { trees: 30, maxDepth: 2, minChildWeight: 1 },
      undefined,
      undefined,
      init,
    );
    expect(m.base).toBe(0);
    const score = (v: number, s0: number) =>
      s0 +
      m.trees.reduce((s, t) => {
        let k = 0;
        while (t.feature[k] >= 0) k = v <= t.threshold[k] ? t.left[k] : t.right[k];
        return s + t.value[k];
      }, 0);
    expect(score(0.25, 3)).toBeLessThan(0);
    expect(score(0.7, 3)).toBeGreaterThan(0);
  });

  it('learns that the judged film is no change: better held out than the shipped model', async () => {
    const s = filmScene();
    const shipped = shippedClassifier('s2');
    // The shipped model takes both the roofs and the film for change.
    const first = await detectChanges(s.before(), s.after(), {
      sensor: 's2',
      config: { learned: shipped },
    });
    const hit = (m: Uint8Array, real: boolean, right: boolean) => {
      let k = 0;
      let t = 0;
      for (const p of s.patches)
        if (p.real === real && p.x0 >= s.W / 2 === right)
          for (let y = p.y0; y < p.y0 + p.h; y++)
            for (let x = p.x0; x < p.x0 + p.w; x++) {
              t++;
              if (m[y * s.W + x]) k++;
            }
      return k / t;
    };
    expect(hit(first.mask, false, true)).toBeGreaterThan(0.5);
    const judged: JudgedOutline[] = s.patches.map((p) => ({
      geometry: s.outline(p),
      change: p.real,
      heldOut: p.x0 >= s.W / 2,
    }));
    const windows = await verdictWindows(
      s.before(),
      s.after(),
      { sensor: 's2' },
      shipped,
      judged,
      judged.map((j) => j.geometry),
    );
    expect(windows).toHaveLength(32);
    expect(windows.filter((w) => w.heldOut)).toHaveLength(16);
    const adapted = adaptToVerdicts(shipped, windows);
    expect(adapted.extension.trees.length).toBeGreaterThan(0);
    expect(adapted.after.f1).toBeGreaterThan(adapted.before.f1 + 0.1);
    expect(adapted.after.precision).toBeGreaterThan(adapted.before.precision);
    // The whole detector with the adapted model: the held-out film is gone, the roofs stay.
    const model = adaptedClassifier(shipped, adapted.extension);
    expect(model.trees).toHaveLength(shipped.trees.length + adapted.extension.trees.length);
    expect(shipped.trees).toHaveLength(150);
    const again = await detectChanges(s.before(), s.after(), {
      sensor: 's2',
      config: { learned: model },
    });
    expect(hit(again.mask, false, true)).toBeLessThan(0.1);
    expect(hit(again.mask, true, true)).toBeGreaterThan(hit(first.mask, true, true) - 0.1);
  }, 60_000);
});
