import { describe, expect, it } from 'vitest';
import { hashLabel, rngFor } from './random.ts';

describe('seeded random numbers', () => {
  it('repeats a sequence for the same seed and labels, and differs otherwise', () => {
    const a = rngFor('s', 'x', 1);
    const b = rngFor('s', 'x', 1);
    const c = rngFor('s', 'x', 2);
    const seqA = Array.from({ length: 50 }, () => a.next());
    expect(Array.from({ length: 50 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 50 }, () => c.next())).not.toEqual(seqA);
    expect(hashLabel('a/b')).not.toBe(hashLabel('a/c'));
  });

  it('draws within its ranges and is roughly uniform', () => {
    const r = rngFor('uniform');
    const bins = new Array(10).fill(0);
    for (let i = 0; i < 20_000; i++) {
      const u = r.next();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      bins[Math.floor(u * 10)]++;
      const k = r.int(3, 5);
      expect([3, 4, 5]).toContain(k);
    }
    for (const n of bins) expect(Math.abs(n - 2000)).toBeLessThan(200);
    const normals = Array.from({ length: 5000 }, () => r.normal());
    const mean = normals.reduce((s, x) => s + x, 0) / normals.length;
    const sd = Math.sqrt(normals.reduce((s, x) => s + (x - mean) ** 2, 0) / normals.length);
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(sd - 1)).toBeLessThan(0.05);
  });
});
