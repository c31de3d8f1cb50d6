import { describe, expect, it } from 'vitest';
import { ellipsoidalAreaM2, roundMu, toMu, M2_PER_MU } from './area.ts';
import type { Polygon } from './types.ts';

describe('ellipsoidal area on CGCS2000', () => {
  it('matches the closed-form area of a 1°×1° cell at the equator (authalic formula)', () => {
    const cell: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
          [0, 0],
        ],
      ],
    };
    // Reference from GeographicLib's Planimeter on GRS80 for this cell: 12,308,778,361.469 m²
    expect(ellipsoidalAreaM2(cell)).toBeCloseTo(12308778361.469, -1);
  });

  it('subtracts holes and ignores winding', () => {
    const outer = [
      [112, 35],
      [112.01, 35],
      [112.01, 35.01],
      [112, 35.01],
      [112, 35],
    ];
    const hole = [
      [112.002, 35.002],
      [112.002, 35.004],
      [112.004, 35.004],
      [112.004, 35.002],
      [112.002, 35.002],
    ];
    const full = ellipsoidalAreaM2({ type: 'Polygon', coordinates: [outer] });
    const reversed = ellipsoidalAreaM2({ type: 'Polygon', coordinates: [[...outer].reverse()] });
    const holed = ellipsoidalAreaM2({ type: 'Polygon', coordinates: [outer, hole] });
    const holeOnly = ellipsoidalAreaM2({ type: 'Polygon', coordinates: [hole] });
    expect(reversed).toBeCloseTo(full, 6);
    expect(holed).toBeCloseTo(full - holeOnly, 6);
    expect(holeOnly).toBeGreaterThan(0);
  });

  it('converts to 亩 (1 亩 = 10000/15 m²) and rounds to 2 decimals', () => {
    expect(M2_PER_MU).toBeCloseTo(666.6667, 4);
    expect(toMu(10000)).toBe(15);
    expect(roundMu(toMu(1000))).toBe(1.5);
    expect(roundMu(1.234567)).toBe(1.23);
  });
});
