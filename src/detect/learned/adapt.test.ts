import { describe, expect, it } from 'vitest';
import { detectChanges } from '../detect.ts';
import {
  adaptedClassifier,
  fitExtension,
  noExtension,
  verdictWindows,
  windowScores,
  type JudgedOutline,
} from './adapt.ts';
import { CANDIDATES, decideAdoption, MIN_HELD_OUT } from './adoption.ts';
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
    // Taught on the left half's patches, scored on the right half's.
    const right = s.patches.map((p) => p.x0 >= s.W / 2);
    const learn = windows.filter((_, k) => !right[k]);
    const hold = windows.filter((_, k) => right[k]);
    const fitted = fitExtension(shipped, learn);
    expect(fitted.extension.trees.length).toBeGreaterThan(0);
    const before = windowScores(shipped, noExtension(shipped), hold);
    const after = windowScores(shipped, fitted.extension, hold);
    expect(after.f1).toBeGreaterThan(before.f1 + 0.1);
    expect(after.precision).toBeGreaterThan(before.precision);

    // The job's decision on the left half's verdicts: a candidate beats the shipped model on
    // the verdicts held out of its fit, and is adopted.
    const decision = decideAdoption(shipped, learn);
    expect(decision.heldOut).toBe(16);
    expect(decision.candidates.map((c) => c.name)).toEqual(CANDIDATES.map((c) => c.name));
    expect(decision.reason).toBe('better');
    expect(decision.adopted).toBe(true);
    expect(decision.best.f1).toBeGreaterThan(decision.shipped.f1);
    // Adopted on the left, it is better on the right too.
    expect(windowScores(shipped, decision.extension, hold).f1).toBeGreaterThan(before.f1);

    // Too few verdicts, or of one kind only: nothing is adopted, whatever the scores.
    const few = decideAdoption(shipped, learn.slice(0, MIN_HELD_OUT - 1), CANDIDATES.slice(0, 1));
    expect(few).toMatchObject({ adopted: false, reason: 'too_few' });
    const films = learn.filter((w) => !w.change);
    expect(films.length).toBeGreaterThanOrEqual(MIN_HELD_OUT);
    expect(decideAdoption(shipped, films, CANDIDATES.slice(0, 1))).toMatchObject({
      adopted: false,
      reason: 'one_kind',
    });
    // Verdicts that say nothing of the imagery (every other one flipped): no candidate learns
    // what holds on the verdicts it did not see, so the shipped model stays.
    const noise = learn.map((w, k) => ({
      ...w,
      change: k % 4 < 2,
      label: w.label.map((t) => (t === 0 || t === 1 ? (k % 4 < 2 ? 1 : 0) : t)),
    }));
    expect(decideAdoption(shipped, noise).adopted).toBe(false);

    // The whole detector with the adapted model: the held-out film is gone, the roofs stay.
    const model = adaptedClassifier(shipped, fitted.extension);
    expect(model.trees).toHaveLength(shipped.trees.length + fitted.extension.trees.length);
    expect(shipped.trees).toHaveLength(150);
    const again = await detectChanges(s.beforeScene(), s.afterScene(), {
      sensor: 's2',
      config: { learned: model },
    });
    expect(hit(again.mask, false, true)).toBeLessThan(0.1);
    expect(hit(again.mask, true, true)).toBeGreaterThan(hit(first.mask, true, true) - 0.1);
  }, 300_000);
  it('samples tiles of unjudged ground away from every detection, in the area asked', async () => {
    const s = filmScene();
    const shipped = shippedClassifier('s2');
    // Only the top row's patches were detected (and judged): the ground is below them.
    const top = s.patches.filter((p) => p.y0 === 8);
    const judged = top.map((p) => ({ geometry: s.outline(p), change: p.real }));
    const tiles = async (seed: number) =>
      (
        await verdictWindows(
          s.beforeScene(),
          s.afterScene(),
          { sensor: 's2' },
          shipped,
          judged,
          judged.map((j) => j.geometry),
          { count: 2, seed, area: { x0: 96, y0: 0, width: 96, height: 96 } },
        )
      ).slice(judged.length);
    const ground = await tiles(5);
    expect(ground).toHaveLength(2);
    const below = Math.max(...top.map((p) => p.y0 + p.h)) + 8;
    for (const w of ground) {
      expect(w).toMatchObject({ judged: false, change: false });
      expect(w.box.x0).toBeGreaterThanOrEqual(96);
      expect(w.box.y0).toBeGreaterThanOrEqual(below - 1);
      expect(w.label.some((t) => t === 2)).toBe(true);
      expect(w.label.every((t) => t === 2 || t === -1)).toBe(true);
    }
    // The same seed, the same places: a job run again describes the same ground.
    expect((await tiles(5)).map((w) => w.box)).toEqual(ground.map((w) => w.box));
  }, 300_000);
});
