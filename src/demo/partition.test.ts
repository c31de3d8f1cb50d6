import polygonClipping from 'polygon-clipping';
import { describe, expect, it } from 'vitest';
import { GengbaoError } from '../errors.ts';
import { ellipsoidalAreaM2 } from '../geo/area.ts';
import type { Areal, Polygon } from '../geo/types.ts';
import { voronoiPartition } from './partition.ts';
import { rngFor } from './random.ts';

/** A 2 km L-shaped county with a 300 m hole: concave and holed, the hard cases for clipping. */
const parent: Polygon = {
  type: 'Polygon',
  coordinates: [
    [
      [112.8, 35.5],
      [112.82, 35.5],
      [112.82, 35.51],
      [112.81, 35.51],
      [112.81, 35.52],
      [112.8, 35.52],
      [112.8, 35.5],
    ],
    [
      [112.803, 35.503],
      [112.803, 35.506],
      [112.806, 35.506],
      [112.806, 35.503],
      [112.803, 35.503],
    ],
  ],
};

const asGeom = (g: Areal) => g.coordinates as polygonClipping.Geom;

describe('voronoiPartition', () => {
  it('tiles the parent exactly: areas sum to the parent, cells do not overlap', () => {
    const cells = voronoiPartition(parent, 9, rngFor('test', 'partition'));
    expect(cells).toHaveLength(9);
    const total = cells.reduce((s, c) => s + ellipsoidalAreaM2(c), 0);
    // Not exactly 0: a cell vertex cut on a parent edge lies on the straight lon/lat chord, not
    // on the geodesic the area formula follows (~1e-5 relative at this size).
    expect(Math.abs(total / ellipsoidalAreaM2(parent) - 1)).toBeLessThan(1e-4);
    for (let i = 0; i < cells.length; i++)
      for (let j = i + 1; j < cells.length; j++) {
        const overlap = polygonClipping.intersection(asGeom(cells[i]), asGeom(cells[j]));
        const area = overlap.length
          ? ellipsoidalAreaM2({ type: 'MultiPolygon', coordinates: overlap })
          : 0;
        expect(area).toBeLessThan(0.01);
      }
    // Nothing of any cell lies in the hole.
    const hole: Polygon = { type: 'Polygon', coordinates: [parent.coordinates[1]] };
    for (const c of cells)
      expect(polygonClipping.intersection(asGeom(c), asGeom(hole)).length).toBe(0);
  });

  it('gives every cell closed rings with area, and is deterministic', () => {
    const a = voronoiPartition(parent, 5, rngFor('test', 'again'));
    const b = voronoiPartition(parent, 5, rngFor('test', 'again'));
    expect(a).toEqual(b);
    for (const cell of a) {
      const polygons = cell.type === 'Polygon' ? [cell.coordinates] : cell.coordinates;
      for (const rings of polygons)
        for (const ring of rings) {
          expect(ring.length).toBeGreaterThanOrEqual(4);
          expect(ring[0]).toEqual(ring[ring.length - 1]);
        }
      expect(ellipsoidalAreaM2(cell)).toBeGreaterThan(1000);
    }
  });

  it('returns the parent itself for one cell and refuses a bad count', () => {
    expect(voronoiPartition(parent, 1, rngFor('x'))).toEqual([parent]);
    expect(() => voronoiPartition(parent, 0, rngFor('x'))).toThrow(GengbaoError);
    expect(() => voronoiPartition(parent, 2.5, rngFor('x'))).toThrow(/positive integer/);
  });
});
