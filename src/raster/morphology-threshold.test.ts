import { describe, expect, it } from 'vitest';
import { close, dilate, erode, open } from './morphology.ts';
import { histogram, kittlerIllingworthBin, otsuBin, quantile } from './threshold.ts';
import { rng } from './test-fixtures.ts';

const grid = (rows: string[]): Uint8Array =>
  Uint8Array.from(rows.join(''), (c) => (c === '#' ? 1 : 0));
const show = (m: Uint8Array, w: number): string[] =>
  Array.from({ length: m.length / w }, (_, y) =>
    [...m.subarray(y * w, y * w + w)].map((v) => (v ? '#' : '.')).join(''),
  );

describe('morphology', () => {
  it('opening removes a speck and keeps a block; closing fills a one-pixel gap', () => {
    const m = grid(['#......', '.......', '..###..', '..###..', '..###..', '.......']);
    expect(show(open(m, 7, 6), 7)).toEqual([
      '.......',
      '.......',
      '..###..',
      '..###..',
      '..###..',
      '.......',
    ]);
    const g = grid(['.......', '.##.##.', '.##.##.', '.......']);
    expect(show(close(g, 7, 4), 7)).toEqual(['.......', '.#####.', '.#####.', '.......']);
  });
  it('keeps a block touching the image edge through an opening', () => {
    const m = grid(['###..', '###..', '###..']);
    expect(show(open(m, 5, 3), 5)).toEqual(['###..', '###..', '###..']);
  });
});

describe('thresholds', () => {
  // 97 % noise around 1, 3 % change around 8: the change-magnitude shape KI is meant for.
  const r = rng(7);
  const gauss = (): number => (r() + r() + r() + r() - 2) * 1.7;
  const values = Float64Array.from({ length: 20000 }, (_, i) =>
    i % 100 < 3 ? 8 + gauss() : 1 + gauss() * 0.5,
  );
  const hist = histogram(values, 0, 12, 240);
  const toValue = (b: number): number => ((b + 1) * 12) / 240;
  it('Kittler–Illingworth puts the cut between the modes of unequal classes', () => {
    const t = toValue(kittlerIllingworthBin(hist));
    expect(t).toBeGreaterThan(2);
    expect(t).toBeLessThan(6.5);
  });
  it('Otsu separates two equal classes', () => {
    const two = Float64Array.from({ length: 10000 }, (_, i) => (i % 2 ? 2 : 8) + gauss() * 0.3);
    const t = toValue(otsuBin(histogram(two, 0, 12, 240)));
    // Any cut in the empty gap maximises the between-class variance; it must split the classes.
    expect(two.filter((v) => v > t).length).toBe(5000);
  });
});

describe('quantile', () => {
  it('agrees with sorting on random data, ties and extremes', () => {
    const r = rng(3);
    for (let t = 0; t < 20; t++) {
      const v = Float64Array.from({ length: 1 + Math.floor(r() * 500) }, () =>
        Math.floor(r() * 50),
      );
      const sorted = Float64Array.from(v).sort();
      for (const q of [0, 0.001, 0.3, 0.5, 0.98, 1])
        expect(quantile(v, q)).toBe(sorted[Math.floor(q * (v.length - 1))]);
    }
  });
});

describe('morphology property', () => {
  it('matches a direct (2r+1)² neighbourhood test on random masks', () => {
    const r = rng(21);
    for (let t = 0; t < 12; t++) {
      const w = 5 + Math.floor(r() * 20);
      const h = 5 + Math.floor(r() * 20);
      const rad = 1 + (t % 2);
      const m = Uint8Array.from({ length: w * h }, () => (r() < 0.5 ? 1 : 0));
      const d = dilate(m, w, h, rad);
      const e = erode(m, w, h, rad);
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          let any = 0;
          let all = 1;
          for (let dy = -rad; dy <= rad; dy++)
            for (let dx = -rad; dx <= rad; dx++) {
              const X = x + dx;
              const Y = y + dy;
              if (X < 0 || Y < 0 || X >= w || Y >= h) continue; // outside: unset for dilation, set for erosion
              any |= m[Y * w + X];
              all &= m[Y * w + X];
            }
          expect(d[y * w + x]).toBe(any);
          expect(e[y * w + x]).toBe(all);
        }
    }
  });
});
