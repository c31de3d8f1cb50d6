import { describe, expect, it } from 'vitest';
import { boxMean, boxMeans, boxStds } from './box.ts';

const boxStd = (src: Float32Array, w: number, h: number, r: number): Float32Array =>
  boxStds(src, w, h, [r])[0];
import { rng } from './test-fixtures.ts';

/** The box mean by brute force: every pixel of the clipped square. */
function bruteMean(
  src: Float32Array,
  w: number,
  h: number,
  r: number,
  x: number,
  y: number,
): number {
  let s = 0;
  let k = 0;
  for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++)
    for (let xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) {
      s += src[yy * w + xx];
      k++;
    }
  return s / k;
}

describe('box filters', () => {
  const w = 23;
  const h = 17;
  const r = rng(3);
  const src = Float32Array.from({ length: w * h }, () => r() * 10 - 5);

  it('equal the brute-force mean of the square clipped at the edges, for every radius', () => {
    for (const radius of [0, 1, 3, 15]) {
      const m = boxMean(src, w, h, radius);
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++)
          expect(m[y * w + x]).toBeCloseTo(bruteMean(src, w, h, radius, x, y), 4);
    }
  });

  it('give the standard deviation over the same square', () => {
    const s = boxStd(src, w, h, 2);
    for (const [x, y] of [
      [0, 0],
      [11, 8],
      [22, 16],
    ]) {
      const vals: number[] = [];
      for (let yy = Math.max(0, y - 2); yy <= Math.min(h - 1, y + 2); yy++)
        for (let xx = Math.max(0, x - 2); xx <= Math.min(w - 1, x + 2); xx++)
          vals.push(src[yy * w + xx]);
      const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
      const sd = Math.sqrt(vals.reduce((a, b) => a + (b - mean) ** 2, 0) / vals.length);
      expect(s[y * w + x]).toBeCloseTo(sd, 3);
    }
    expect(boxStd(new Float32Array(w * h).fill(2), w, h, 3).every((v) => v === 0)).toBe(true);
  });

  it('give each radius from one table exactly what one call per radius gives', () => {
    const radii = [1, 3, 7, 15];
    boxMeans(src, w, h, radii).forEach((m, k) =>
      expect(Array.from(m)).toEqual(Array.from(boxMean(src, w, h, radii[k]))),
    );
    boxStds(src, w, h, [1, 3]).forEach((s, k) =>
      expect(Array.from(s)).toEqual(Array.from(boxStd(src, w, h, [1, 3][k]))),
    );
  });
});
