import { describe, expect, it } from 'vitest';
import { detectChanges } from '../detect.ts';
import { adaptedClassifier, adaptToVerdicts, verdictWindows, type JudgedOutline } from './adapt.ts';
import { trainGbdt } from './gbdt.ts';
import { shippedClassifier } from './shipped.ts';
import { filmScene } from './test-fixtures.ts';

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
    const first = await detectChanges(s.beforeScene(), s.afterScene(), {
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
      s.beforeScene(),
      s.afterScene(),
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
    const again = await detectChanges(s.beforeScene(), s.afterScene(), {
      sensor: 's2',
      config: { learned: model },
    });
    expect(hit(again.mask, false, true)).toBeLessThan(0.1);
    expect(hit(again.mask, true, true)).toBeGreaterThan(hit(first.mask, true, true) - 0.1);
  }, 60_000);
});
