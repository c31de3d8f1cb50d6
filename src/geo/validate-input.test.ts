import { describe, expect, it } from 'vitest';
import { checkInputGeometry, MAX_VERTICES } from './validate-input.ts';

const square = {
  type: 'Polygon',
  coordinates: [
    [
      [112, 35],
      [112.01, 35],
      [112.01, 35.01],
      [112, 35.01],
      [112, 35],
    ],
  ],
};

/** A closed circle-like ring of n vertices (valid, no crossings). */
function circle(n: number) {
  const ring = Array.from({ length: n - 1 }, (_, i) => {
    const a = (i / (n - 1)) * 2 * Math.PI;
    return [112 + 0.01 * Math.cos(a), 35 + 0.01 * Math.sin(a)];
  });
  return { type: 'Polygon', coordinates: [[...ring, ring[0]]] };
}

describe('checkInputGeometry', () => {
  it('accepts a valid polygon and multipolygon as they are', () => {
    expect(checkInputGeometry(square)).toBe(square);
    const multi = { type: 'MultiPolygon', coordinates: [square.coordinates] };
    expect(checkInputGeometry(multi)).toBe(multi);
    expect(() => checkInputGeometry(circle(MAX_VERTICES))).not.toThrow();
  });

  it('refuses a self-intersecting (bow-tie) ring, in Chinese and English', () => {
    const bowtie = {
      type: 'Polygon',
      coordinates: [
        [
          [112, 35],
          [112.01, 35.01],
          [112.01, 35],
          [112, 35.01],
          [112, 35],
        ],
      ],
    };
    expect(() => checkInputGeometry(bowtie)).toThrow(
      /边自相交 \/ invalid geometry: self-intersection/,
    );
  });

  it('refuses an unclosed ring and too few points', () => {
    const open = {
      type: 'Polygon',
      coordinates: [
        [
          [112, 35],
          [112.01, 35],
          [112.01, 35.01],
          [112, 35.01],
        ],
      ],
    };
    expect(() => checkInputGeometry(open)).toThrow(/环未闭合.*unclosed ring/);
    expect(() =>
      checkInputGeometry({
        type: 'Polygon',
        coordinates: [
          [
            [112, 35],
            [113, 35],
            [112, 35],
          ],
        ],
      }),
    ).toThrow(/too few points/);
  });

  it('refuses more vertices than the cap before looking at them', () => {
    const huge = circle(1_000_000);
    const started = performance.now();
    expect(() => checkInputGeometry(huge)).toThrow(/顶点过多.*too many vertices \(at most 10000/);
    // Counting stops at the cap: far below the seconds a million vertices' validity test costs.
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('refuses out-of-range and non-numeric coordinates, and non-polygons', () => {
    const far = {
      type: 'Polygon',
      coordinates: [
        [
          [500, 35],
          [501, 35],
          [501, 36],
          [500, 35],
        ],
      ],
    };
    expect(() => checkInputGeometry(far)).toThrow(/超出经纬度范围.*outside longitude/);
    expect(() =>
      checkInputGeometry({
        type: 'Polygon',
        coordinates: [
          [
            [112, 'x'],
            [1, 2],
            [3, 4],
            [112, 'x'],
          ],
        ],
      }),
    ).toThrow(/finite numbers/);
    expect(() => checkInputGeometry({ type: 'Point', coordinates: [112, 35] })).toThrow(
      /Polygon or MultiPolygon/,
    );
    expect(() => checkInputGeometry(null, { field: 'payload.geometry' })).toThrow(
      expect.objectContaining({ code: 'bad_input', field: 'payload.geometry' }),
    );
  });
});
