/**
 * Synthetic subdivision of a real parent boundary into `count` cells that tile it exactly:
 * well-spaced seeded points inside the parent, their Voronoi cells (d3-delaunay), each cell
 * clipped to the parent (polygon-clipping). Voronoi cells share their edges exactly, so the
 * clipped cells neither overlap nor leave gaps; their areas sum to the parent's.
 */
import { Delaunay } from 'd3-delaunay';
import { GengbaoError } from '../errors.ts';
import { bboxOf } from '../geo/bbox.ts';
import type { Areal, Ring } from '../geo/types.ts';
import { intersect } from './clip.ts';
import { containsPoint, metresPerDegree } from './planar.ts';
import type { Rng } from './random.ts';

/** Candidates per point in Mitchell's best-candidate sampling (Mitchell 1991): blue noise, even cells. */
const CANDIDATES = 10;
const MAX_TRIES = 100_000;

export const PARTITION_METHOD =
  'Voronoi cells (d3-delaunay) of best-candidate seeded points inside the parent, clipped to the parent (polygon-clipping)';

/** A uniformly random point inside `geometry`, by rejection from its bounding box. */
export function randomPointIn(geometry: Areal, rng: Rng): [number, number] {
  const [minX, minY, maxX, maxY] = bboxOf(geometry);
  for (let i = 0; i < MAX_TRIES; i++) {
    const x = rng.range(minX, maxX);
    const y = rng.range(minY, maxY);
    if (containsPoint(geometry, x, y)) return [x, y];
  }
  throw new GengbaoError('internal', 'could not place a point inside a geometry (is it empty?)');
}

/** `count` well-spaced points inside `geometry` (Mitchell's best-candidate algorithm). */
export function spacedPointsIn(geometry: Areal, count: number, rng: Rng): [number, number][] {
  const kx = metresPerDegree((bboxOf(geometry)[1] + bboxOf(geometry)[3]) / 2);
  const ratio = kx.lon / kx.lat;
  const points: [number, number][] = [];
  for (let n = 0; n < count; n++) {
    let best: [number, number] = randomPointIn(geometry, rng);
    let bestD = -1;
    for (let c = 0; c < (n === 0 ? 1 : CANDIDATES); c++) {
      const p = c === 0 ? best : randomPointIn(geometry, rng);
      let d = Infinity;
      for (const q of points) d = Math.min(d, ((p[0] - q[0]) * ratio) ** 2 + (p[1] - q[1]) ** 2);
      if (d > bestD) {
        bestD = d;
        best = p;
      }
    }
    points.push(best);
  }
  return points;
}

/**
 * Splits `parent` into `count` cells that tile it, in the order of the seeded points.
 * @throws GengbaoError('bad_input') when `count` < 1.
 * @example voronoiPartition(countyGeometry, 13, rngFor('gengbao', '140521')) // → 13 Areal cells
 */
export function voronoiPartition(parent: Areal, count: number, rng: Rng): Areal[] {
  if (!Number.isInteger(count) || count < 1)
    throw new GengbaoError('bad_input', `cell count must be a positive integer, got ${count}`, {
      field: 'count',
    });
  if (count === 1) return [parent];
  const points = spacedPointsIn(parent, count, rng);
  const [minX, minY, maxX, maxY] = bboxOf(parent);
  const padX = (maxX - minX) * 0.01 + 1e-6;
  const padY = (maxY - minY) * 0.01 + 1e-6;
  const voronoi = Delaunay.from(points).voronoi([
    minX - padX,
    minY - padY,
    maxX + padX,
    maxY + padY,
  ]);
  return points.map((_, i) => {
    const cell = voronoi.cellPolygon(i) as Ring;
    const clipped = intersect({ type: 'Polygon', coordinates: [cell] }, parent);
    if (!clipped)
      throw new GengbaoError('internal', `Voronoi cell ${i} vanished when clipped to its parent`);
    return clipped;
  });
}
