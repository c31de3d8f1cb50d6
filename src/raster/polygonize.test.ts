import { describe, expect, it } from 'vitest';
import { label4 } from './components.ts';
import { ringAreaPx, traceComponent } from './polygonize.ts';
import { rng } from './test-fixtures.ts';

function polygons(mask: Uint8Array, w: number, h: number) {
  const c = label4(mask, w, h);
  const out = [];
  for (let l = 1; l <= c.count; l++)
    out.push({
      size: c.sizes[l],
      poly: traceComponent(c.labels, w, h, l, c.boxes.subarray(l * 4, l * 4 + 4)),
    });
  return out;
}

// Holes have negative signed area, so the plain sum is outer minus holes.
const area = (rings: number[][]): number => rings.reduce((s, r) => s + ringAreaPx(r), 0);

describe('pixel-edge polygonize', () => {
  it('outlines a square with a hole exactly', () => {
    const w = 6;
    const m = new Uint8Array(36);
    for (let y = 1; y <= 4; y++) for (let x = 1; x <= 4; x++) m[y * w + x] = 1;
    m[2 * w + 2] = 0;
    const [p] = polygons(m, w, 6);
    expect(p.poly.rings).toHaveLength(2);
    expect(p.poly.rings[0]).toEqual([1, 1, 5, 1, 5, 5, 1, 5, 1, 1]);
    expect(ringAreaPx(p.poly.rings[0])).toBe(16);
    expect(ringAreaPx(p.poly.rings[1])).toBe(-1);
  });

  it('keeps pixels touching at a corner apart (4-connectivity) and traces a pinched hole', () => {
    // A ring of pixels around (2,2) whose hole touches a diagonal gap at its corner.
    const w = 5;
    const rows = ['.....', '.###.', '.#.#.', '.##..', '.....'];
    const m = Uint8Array.from(rows.join(''), (c) => (c === '#' ? 1 : 0));
    const ps = polygons(m, w, 5);
    expect(ps).toHaveLength(1);
    expect(area(ps[0].poly.rings)).toBe(ps[0].size);
    const diag = Uint8Array.from('#..' + '.#.' + '..#', (c) => (c === '#' ? 1 : 0));
    const ds = polygons(diag, 3, 3);
    expect(ds).toHaveLength(3);
    for (const d of ds) expect(d.poly.rings).toEqual([expect.any(Array)]);
  });

  it('property: before simplification, polygon area in pixel units equals pixel count', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const r = rng(seed);
      const w = 8 + Math.floor(r() * 30);
      const h = 8 + Math.floor(r() * 30);
      const density = 0.3 + r() * 0.5;
      const m = Uint8Array.from({ length: w * h }, () => (r() < density ? 1 : 0));
      let pixels = 0;
      for (const p of polygons(m, w, h)) {
        const a = area(p.poly.rings);
        expect(a).toBe(p.size);
        expect(ringAreaPx(p.poly.rings[0])).toBeGreaterThan(0);
        for (const hole of p.poly.rings.slice(1)) expect(ringAreaPx(hole)).toBeLessThan(0);
        for (const ring of p.poly.rings) {
          expect(ring.slice(0, 2)).toEqual(ring.slice(-2));
          // every edge is axis-parallel (follows pixel edges)
          for (let i = 0; i + 3 < ring.length; i += 2)
            expect(ring[i] === ring[i + 2] || ring[i + 1] === ring[i + 3]).toBe(true);
        }
        pixels += p.size;
      }
      expect(pixels).toBe(m.reduce((s, v) => s + v, 0));
    }
  });
});
