import { describe, expect, it } from 'vitest';
import type { PixelWindow } from '../raster/grid.ts';
import { rng } from '../raster/test-fixtures.ts';
import { placeChanges } from './target.ts';

describe('placeChanges', () => {
  const cases: Array<{ region: PixelWindow; w: PixelWindow }> = [
    // four-pixel words (the workers' case: tile windows of a scene whose width is a multiple of 4)
    { region: { x0: 0, y0: 0, width: 24, height: 9 }, w: { x0: 8, y0: 2, width: 12, height: 5 } },
    // unaligned widths and offsets: pixel by pixel
    { region: { x0: 1, y0: 2, width: 13, height: 7 }, w: { x0: 4, y0: 3, width: 7, height: 4 } },
  ];
  it.each(cases)('puts classes and their scores in place ($w.width×$w.height)', ({ region, w }) => {
    const r = rng(3);
    const n = w.width * w.height;
    const cls = Uint8Array.from({ length: n }, () => (r() < 0.3 ? 1 + Math.floor(r() * 3) : 0));
    const score = Uint8Array.from({ length: n }, () => 1 + Math.floor(r() * 254));
    for (const buffer of [ArrayBuffer, SharedArrayBuffer]) {
      const target = {
        cls: new Uint8Array(new buffer(region.width * region.height)),
        score: new Uint8Array(new buffer(region.width * region.height)),
        region,
      };
      placeChanges(target, cls, score, w);
      for (let y = 0; y < region.height; y++)
        for (let x = 0; x < region.width; x++) {
          const wx = region.x0 + x - w.x0;
          const wy = region.y0 + y - w.y0;
          const inside = wx >= 0 && wy >= 0 && wx < w.width && wy < w.height;
          const c = inside ? cls[wy * w.width + wx] : 0;
          const at = y * region.width + x;
          expect(target.cls[at], `${buffer.name} ${x},${y}`).toBe(c);
          // A score is defined wherever a class is set.
          if (c) expect(target.score[at]).toBe(score[wy * w.width + wx]);
        }
    }
  });

  it('leaves the target untouched where the window did not change', () => {
    const region = { x0: 0, y0: 0, width: 8, height: 2 };
    const target = { cls: new Uint8Array(16), score: new Uint8Array(16).fill(9), region };
    placeChanges(target, new Uint8Array(8), new Uint8Array(8).fill(5), { ...region, height: 1 });
    expect(Array.from(target.score)).toEqual(new Array(16).fill(9));
  });
});
