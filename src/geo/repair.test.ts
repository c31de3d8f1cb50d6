import { describe, expect, it } from 'vitest';
import { repairAreal, validityProblems } from './repair.ts';
import type { Areal, Ring } from './types.ts';

const sq = (x: number, y: number, s: number): Ring => [
  [x, y],
  [x + s, y],
  [x + s, y + s],
  [x, y + s],
  [x, y],
];
const poly = (...rings: Ring[]): Areal => ({ type: 'Polygon', coordinates: rings });
/** Planar area in coordinate units, holes subtracted. */
const planar = (g: Areal) => {
  const ring = (r: Ring) =>
    Math.abs(
      r.reduce((s, p, i) => (i ? s + (r[i - 1][0] - p[0]) * (r[i - 1][1] + p[1]) : s), 0) / 2,
    );
  return (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).reduce(
    (s, rs) => s + ring(rs[0]) - rs.slice(1).reduce((h, r) => h + ring(r), 0),
    0,
  );
};

describe('validityProblems', () => {
  it('accepts valid polygons, self-touching rings and repeated points', () => {
    expect(validityProblems(poly(sq(0, 0, 4), sq(1, 1, 1).reverse()))).toEqual([]);
    const selfTouching: Ring = [
      [0, 0],
      [4, 0],
      [4, 4],
      [2, 4],
      [3, 3],
      [1, 3],
      [2, 4],
      [0, 4],
      [0, 0],
    ];
    expect(validityProblems(poly(selfTouching))).toEqual([]);
    expect(
      validityProblems(
        poly([
          [0, 0],
          [4, 0],
          [4, 0],
          [4, 4],
          [0, 4],
          [0, 0],
        ]),
      ),
    ).toEqual([]);
  });

  it('names what is wrong', () => {
    expect(
      validityProblems(
        poly([
          [0, 0],
          [2, 2],
          [2, 0],
          [0, 2],
          [0, 0],
        ]),
      ),
    ).toEqual(['self-intersection']);
    expect(validityProblems(poly(sq(0, 0, 4), sq(10, 10, 1)))).toContain('hole outside its shell');
    expect(
      validityProblems({ type: 'MultiPolygon', coordinates: [[sq(0, 0, 4)], [sq(1, 1, 1)]] }),
    ).toEqual(['overlapping parts']);
    expect(
      validityProblems(
        poly([
          [0, 0],
          [4, 0],
          [4, 4],
          [0, 4],
        ]),
      ),
    ).toEqual(['unclosed ring']);
    // A spike: the ring runs out along an edge and back (collinear overlap).
    expect(
      validityProblems(
        poly([
          [0, 0],
          [4, 0],
          [6, 0],
          [4, 0],
          [4, 4],
          [0, 4],
          [0, 0],
        ]),
      ),
    ).toEqual(['self-intersection']);
    expect(
      validityProblems(
        poly([
          [0, 0],
          [NaN, 0],
          [4, 4],
          [0, 0],
        ]),
      ),
    ).toEqual(['non-finite coordinate']);
  });
});

describe('repairAreal', () => {
  it('keeps both lobes of a bow-tie', () => {
    const { geometry, problems } = repairAreal(
      poly([
        [0, 0],
        [2, 2],
        [2, 0],
        [0, 2],
        [0, 0],
      ]),
    );
    expect(problems).toEqual(['self-intersection']);
    expect(geometry!.type).toBe('MultiPolygon');
    expect(planar(geometry!)).toBeCloseTo(2, 12);
  });

  it('cuts only what a hole covers, counts overlapping parts once, closes rings, drops spikes', () => {
    expect(planar(repairAreal(poly(sq(0, 0, 4), sq(3, 3, 2))).geometry!)).toBeCloseTo(15, 12);
    expect(
      planar(
        repairAreal({ type: 'MultiPolygon', coordinates: [[sq(0, 0, 4)], [sq(2, 2, 4)]] })
          .geometry!,
      ),
    ).toBeCloseTo(28, 12);
    expect(
      planar(
        repairAreal(
          poly([
            [0, 0],
            [4, 0],
            [4, 4],
            [0, 4],
          ]),
        ).geometry!,
      ),
    ).toBeCloseTo(16, 12);
    expect(
      planar(
        repairAreal(
          poly([
            [0, 0],
            [4, 0],
            [6, 0],
            [4, 0],
            [4, 4],
            [0, 4],
            [0, 0],
          ]),
        ).geometry!,
      ),
    ).toBeCloseTo(16, 12);
  });

  it('returns null when nothing with an area is left', () => {
    expect(
      repairAreal(
        poly([
          [0, 0],
          [4, 0],
          [8, 0],
          [0, 0],
        ]),
      ).geometry,
    ).toBeNull();
  });

  it('orients valid polygons outer counter-clockwise, holes clockwise (RFC 7946)', () => {
    const { geometry, problems } = repairAreal(poly(sq(0, 0, 4).reverse(), sq(1, 1, 1)));
    expect(problems).toEqual([]);
    const [outer, hole] = (geometry as { coordinates: Ring[] }).coordinates;
    expect(outer).toEqual(sq(0, 0, 4));
    expect(hole).toEqual(sq(1, 1, 1).reverse());
  });
});
