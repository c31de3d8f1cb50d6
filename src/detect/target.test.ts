import { describe, expect, it } from 'vitest';
import { syntheticPair } from '../raster/test-fixtures.ts';
import { fitChangeModel } from './calibrate.ts';
import { classifyWindow, classifyWindowInto } from './classify.ts';
import { PROFILES } from './profiles.ts';
import { targetSink } from './target.ts';
import { maskBandsOf } from './masks.ts';

describe('targetSink', () => {
  // The synthetic pair's rules model; its classes do not depend on how the scene is cut.
  const size = 64;
  const pair = syntheticPair(size, 2);
  const bands = (d: Uint16Array[]): Float32Array[] => d.map((b) => Float32Array.from(b));
  const [before, after] = [bands(pair.before), bands(pair.after)];
  const masks = maskBandsOf(['blue', 'green', 'red', 'nir']);
  const model = fitChangeModel(
    { before, after },
    ['blue', 'green', 'red', 'nir'],
    masks,
    PROFILES.s2.config,
    { before: null, after: null },
  );
  const whole = classifyWindow(model, before, after, size * size, size);
  /** The window's bands cut out of the scene. */
  const cut = (b: Float32Array[], x0: number, y0: number, w: number, h: number) =>
    b.map((band) => {
      const out = new Float32Array(w * h);
      for (let y = 0; y < h; y++)
        out.set(band.subarray((y0 + y) * size + x0, (y0 + y) * size + x0 + w), y * w);
      return out;
    });

  it.each([
    ['whole-scene region, windows of 16 × 11', 0, 16, 11],
    ['a region offset from the scene (3, 5), windows of 7 × 9', 3, 7, 9],
  ])('puts each window’s pixels at their place in the region (%s)', (_, off, ww, wh) => {
    const region = { x0: off, y0: off + 2, width: size - off, height: size - off - 2 };
    const target = {
      cls: new Uint8Array(region.width * region.height),
      score: new Uint8Array(region.width * region.height),
      region,
    };
    for (let y0 = region.y0; y0 < size; y0 += wh)
      for (let x0 = region.x0; x0 < size; x0 += ww) {
        const w = { x0, y0, width: Math.min(ww, size - x0), height: Math.min(wh, size - y0) };
        const n = w.width * w.height;
        const [b, a] = [before, after].map((d) => cut(d, x0, y0, w.width, w.height));
        classifyWindowInto(model, b, a, n, w.width, targetSink(target, w));
      }
    let changed = 0;
    for (let y = 0; y < region.height; y++)
      for (let x = 0; x < region.width; x++) {
        const s = (region.y0 + y) * size + region.x0 + x;
        const t = y * region.width + x;
        expect(target.cls[t], `${x},${y}`).toBe(whole.cls[s]);
        expect(target.score[t], `${x},${y}`).toBe(whole.score[s]);
        if (whole.cls[s]) changed++;
      }
    expect(changed).toBeGreaterThan(20);
  });
});
