import { describe, expect, it } from 'vitest';
import { GridLocator, locateIn } from './locate.ts';
import type { Areal } from '../geo/types.ts';

const sq = (x: number, y: number, d: number): Areal => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, y],
      [x + d, y],
      [x + d, y + d],
      [x, y + d],
      [x, y],
    ],
  ],
});

describe('GridLocator', () => {
  const donut: Areal = {
    type: 'Polygon',
    coordinates: [
      sq(0, 0, 3).coordinates[0] as number[][],
      (sq(1, 1, 1).coordinates[0] as number[][]).slice().reverse(),
    ],
  };
  const grid = new GridLocator([
    { code: 'A', geometry: donut },
    { code: 'B', geometry: sq(1, 1, 1) },
    { code: 'C', geometry: sq(3, 0, 3) },
  ]);

  it('finds the cell containing a point, holes excluded', () => {
    expect(grid.locatePoint(0.5, 0.5)).toBe('A');
    expect(grid.locatePoint(1.5, 1.5)).toBe('B');
    expect(grid.locatePoint(4, 2)).toBe('C');
    expect(grid.locatePoint(10, 10)).toBeNull();
  });

  it('assigns a geometry by a point inside it, even when its box centre lies elsewhere', () => {
    expect(grid.locate(sq(3.2, 0.2, 0.5))).toBe('C');
    const lShape: Areal = {
      type: 'Polygon',
      coordinates: [
        [
          [0.1, 0.1],
          [2.9, 0.1],
          [2.9, 0.5],
          [0.5, 0.5],
          [0.5, 2.9],
          [0.1, 2.9],
          [0.1, 0.1],
        ],
      ],
    };
    expect(grid.locate(lShape)).toBe('A');
  });
});

describe('locateIn', () => {
  const villages = new GridLocator([{ code: '140525100201', geometry: sq(0, 0, 1) }]);
  const townships = new GridLocator([{ code: '140525100', geometry: sq(0, 0, 2) }]);

  it('answers with the finest level that holds the geometry, null outside the grid', () => {
    expect(locateIn([villages, townships], sq(0.2, 0.2, 0.1))).toBe('140525100201');
    expect(locateIn([villages, townships], sq(1.5, 1.5, 0.1))).toBe('140525100');
    expect(locateIn([villages, townships], sq(5, 5, 0.1))).toBeNull();
    expect(locateIn([], sq(0, 0, 1))).toBeNull();
  });
});
