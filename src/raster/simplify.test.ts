import { describe, expect, it } from 'vitest';
import { label4 } from './components.ts';
import { ringAreaPx, traceComponent } from './polygonize.ts';
import { simplifyPolygon } from './simplify.ts';
import { rng } from './test-fixtures.ts';

describe('simplifyPolygon', () => {
  it('cuts a staircase to its diagonal within the tolerance and keeps squares intact', () => {
    // A staircase triangle: row y has y+1 pixels.
    const w = 8;
    const m = new Uint8Array(64);
    for (let y = 0; y < 8; y++) for (let x = 0; x <= y; x++) m[y * w + x] = 1;
    const c = label4(m, 8, 8);
    const exact = traceComponent(c.labels, 8, 8, 1, c.boxes.subarray(4, 8));
    const simple = simplifyPolygon(exact, 0.49);
    expect(simple.rings[0].length).toBeLessThan(exact.rings[0].length);
    expect(Math.abs(ringAreaPx(simple.rings[0]) - 36)).toBeLessThan(8 * 0.49 * 2);
    const sq = { rings: [[0, 0, 3, 0, 3, 3, 0, 3, 0, 0]] };
    expect(simplifyPolygon(sq, 0.49)).toEqual(sq);
  });
  it('property: never makes edges cross, keeps holes, moves area by less than the tolerance band', () => {
    for (let seed = 1; seed <= 25; seed++) {
      const r = rng(seed);
      const w = 20;
      const m = Uint8Array.from({ length: w * w }, () => (r() < 0.62 ? 1 : 0));
      const c = label4(m, w, w);
      for (let l = 1; l <= c.count; l++) {
        const exact = traceComponent(c.labels, w, w, l, c.boxes.subarray(l * 4, l * 4 + 4));
        const s = simplifyPolygon(exact, 0.49);
        expect(s.rings.length).toBe(exact.rings.length);
        const perimeter = exact.rings.reduce((a, ring) => a + ring.length, 0);
        const area = (p: { rings: number[][] }): number =>
          p.rings.reduce((a, ring) => a + ringAreaPx(ring), 0);
        expect(Math.abs(area(s) - area(exact))).toBeLessThanOrEqual(perimeter * 0.49);
      }
    }
  });
});
