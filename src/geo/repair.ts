import polygonClipping from 'polygon-clipping';
import { orient2d } from 'robust-predicates';
import type { Areal, MultiPolygon, Polygon, Position, Ring } from './types.ts';

/** Why a geometry was not valid, in words a GIS user recognises. */
export type Invalidity =
  | 'unclosed ring'
  | 'too few points'
  | 'self-intersection'
  | 'hole outside its shell'
  | 'overlapping parts'
  | 'non-finite coordinate';

export interface RepairResult {
  /** The valid geometry, or null when nothing with an area is left. */
  geometry: Areal | null;
  /** What was wrong (empty when the input was valid). */
  problems: Invalidity[];
}

/** Signed shoelace area in coordinate units (positive = counter-clockwise). */
export function signedRingArea(ring: Ring): number {
  let s = 0;
  for (let i = 0, n = ring.length, j = n - 1; i < n; j = i++)
    s += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return s / 2;
}

/** Even–odd point-in-ring test (ray casting). */
export function pointInRing(p: Position, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, n = ring.length, j = n - 1; i < n; j = i++) {
    const a = ring[i];
    const b = ring[j];
    if (
      a[1] > p[1] !== b[1] > p[1] &&
      p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]
    )
      inside = !inside;
  }
  return inside;
}

/**
 * Whether any two edges of the rings cross or overlap collinearly (touching at a shared vertex
 * is allowed: self-touching rings and holes touching their shell at a point have a well-defined
 * area). Edges are sorted by their minimum x and swept, so a parcel costs O(n log n) instead of
 * the O(n²) all-pairs test; the orientation tests are Shewchuk's exact predicates, because a
 * sliver's edges are nearly collinear and floating-point signs there lie.
 */
function edgesCross(rings: Ring[]): boolean {
  if (rings.length === 1 && rings[0].length <= 33) return smallRingCrosses(rings[0]);
  const ax: number[] = [];
  const ay: number[] = [];
  const bx: number[] = [];
  const by: number[] = [];
  const ringOf: number[] = [];
  const idxOf: number[] = [];
  const lenOf: number[] = [];
  rings.forEach((ring, r) => {
    for (let i = 0; i + 1 < ring.length; i++) {
      ax.push(ring[i][0]);
      ay.push(ring[i][1]);
      bx.push(ring[i + 1][0]);
      by.push(ring[i + 1][1]);
      ringOf.push(r);
      idxOf.push(i);
      lenOf.push(ring.length - 1);
    }
  });
  const n = ax.length;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (i, j) => Math.min(ax[i], bx[i]) - Math.min(ax[j], bx[j]),
  );
  for (let oi = 0; oi < n; oi++) {
    const i = order[oi];
    const maxXi = Math.max(ax[i], bx[i]);
    const minYi = Math.min(ay[i], by[i]);
    const maxYi = Math.max(ay[i], by[i]);
    for (let oj = oi + 1; oj < n; oj++) {
      const j = order[oj];
      if (Math.min(ax[j], bx[j]) > maxXi) break;
      if (Math.min(ay[j], by[j]) > maxYi || Math.max(ay[j], by[j]) < minYi) continue;
      const adjacent =
        ringOf[i] === ringOf[j] &&
        (Math.abs(idxOf[i] - idxOf[j]) === 1 || Math.abs(idxOf[i] - idxOf[j]) === lenOf[i] - 1);
      if (segmentsConflict(ax[i], ay[i], bx[i], by[i], ax[j], ay[j], bx[j], by[j], adjacent))
        return true;
    }
  }
  return false;
}

/**
 * The same test for one small ring (a parcel, a change polygon: the common case), as a plain
 * double loop without building edge arrays — for 4 to 32 edges that is quicker than sorting.
 */
function smallRingCrosses(r: Ring): boolean {
  const m = r.length - 1;
  for (let i = 0; i < m; i++) {
    const p1 = r[i];
    const p2 = r[i + 1];
    const minX = p1[0] < p2[0] ? p1[0] : p2[0];
    const maxX = p1[0] < p2[0] ? p2[0] : p1[0];
    const minY = p1[1] < p2[1] ? p1[1] : p2[1];
    const maxY = p1[1] < p2[1] ? p2[1] : p1[1];
    for (let j = i + 1; j < m; j++) {
      const q1 = r[j];
      const q2 = r[j + 1];
      if (
        (q1[0] < minX && q2[0] < minX) ||
        (q1[0] > maxX && q2[0] > maxX) ||
        (q1[1] < minY && q2[1] < minY) ||
        (q1[1] > maxY && q2[1] > maxY)
      )
        continue;
      const adjacent = j === i + 1 || (i === 0 && j === m - 1);
      if (segmentsConflict(p1[0], p1[1], p2[0], p2[1], q1[0], q1[1], q2[0], q2[1], adjacent))
        return true;
    }
  }
  return false;
}

/** Proper crossing, a vertex lying inside the other edge, or collinear overlap. */
function segmentsConflict(
  p1x: number,
  p1y: number,
  p2x: number,
  p2y: number,
  q1x: number,
  q1y: number,
  q2x: number,
  q2y: number,
  adjacent: boolean,
): boolean {
  const d1 = orient2d(q1x, q1y, q2x, q2y, p1x, p1y);
  const d2 = orient2d(q1x, q1y, q2x, q2y, p2x, p2y);
  const d3 = orient2d(p1x, p1y, p2x, p2y, q1x, q1y);
  const d4 = orient2d(p1x, p1y, p2x, p2y, q2x, q2y);
  if (d1 * d2 < 0 && d3 * d4 < 0) return true;
  if (d1 === 0 && d2 === 0) {
    // Collinear: an overlap longer than a point conflicts (adjacent edges folding back included).
    const useX = p1x !== p2x || q1x !== q2x;
    const [a0, a1] = useX
      ? [Math.min(p1x, p2x), Math.max(p1x, p2x)]
      : [Math.min(p1y, p2y), Math.max(p1y, p2y)];
    const [b0, b1] = useX
      ? [Math.min(q1x, q2x), Math.max(q1x, q2x)]
      : [Math.min(q1y, q2y), Math.max(q1y, q2y)];
    return Math.min(a1, b1) > Math.max(a0, b0);
  }
  if (adjacent) return false;
  // A vertex of one edge strictly inside the other (a T-junction) is a self-intersection;
  // shared endpoints (touching rings) are not.
  const onSeg = (
    d: number,
    x: number,
    y: number,
    sx1: number,
    sy1: number,
    sx2: number,
    sy2: number,
  ) =>
    d === 0 &&
    Math.min(sx1, sx2) <= x &&
    x <= Math.max(sx1, sx2) &&
    Math.min(sy1, sy2) <= y &&
    y <= Math.max(sy1, sy2) &&
    !(x === sx1 && y === sy1) &&
    !(x === sx2 && y === sy2);
  return (
    onSeg(d1, p1x, p1y, q1x, q1y, q2x, q2y) ||
    onSeg(d2, p2x, p2y, q1x, q1y, q2x, q2y) ||
    onSeg(d3, q1x, q1y, p1x, p1y, p2x, p2y) ||
    onSeg(d4, q2x, q2y, p1x, p1y, p2x, p2y)
  );
}

/** Drop consecutive duplicate vertices (valid in OGC, but they make zero-length edges). */
function dedupe(ring: Ring): Ring {
  let dup = false;
  for (let i = 1; i < ring.length && !dup; i++)
    dup = ring[i][0] === ring[i - 1][0] && ring[i][1] === ring[i - 1][1];
  if (!dup) return ring;
  const out: Ring = [];
  for (const p of ring) {
    const q = out[out.length - 1];
    if (!q || q[0] !== p[0] || q[1] !== p[1]) out.push([p[0], p[1]]);
  }
  return out;
}

/** Validity problems of a polygonal geometry (OGC Simple Features rules that change its area). */
export function validityProblems(geometry: Areal): Invalidity[] {
  const problems = new Set<Invalidity>();
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const all: Ring[] = [];
  for (const rings of polygons) {
    rings.forEach((raw, r) => {
      if (raw.some((p) => !Number.isFinite(p[0]) || !Number.isFinite(p[1])))
        problems.add('non-finite coordinate');
      const ring = dedupe(raw);
      const first = ring[0];
      const last = ring[ring.length - 1];
      if (ring.length > 0 && (first[0] !== last[0] || first[1] !== last[1]))
        problems.add('unclosed ring');
      if (ring.length < 4) problems.add('too few points');
      else if (r > 0 && rings[0].length >= 4 && !pointInRingOrOn(ring, rings[0]))
        problems.add('hole outside its shell');
      all.push(ring);
    });
  }
  if (problems.has('non-finite coordinate')) return [...problems];
  if (edgesCross(all)) problems.add('self-intersection');
  // Parts of a MultiPolygon nested without crossing: area would be counted twice.
  for (let i = 0; i < polygons.length; i++)
    for (let j = 0; j < polygons.length; j++)
      if (
        i !== j &&
        polygons[i][0].length >= 4 &&
        polygons[j][0].length >= 4 &&
        pointInRingOrOn(polygons[i][0], polygons[j][0]) &&
        !insideHole(polygons[i][0], polygons[j])
      ) {
        problems.add('overlapping parts');
      }
  return [...problems];
}

/** Whether some vertex of `inner` (not on `outer`'s boundary) lies inside `outer`. */
function pointInRingOrOn(inner: Ring, outer: Ring): boolean {
  for (const p of inner) {
    if (outer.some((q) => q[0] === p[0] && q[1] === p[1])) continue;
    return pointInRing(p, outer);
  }
  // All vertices shared: compare by a midpoint of an edge.
  const m = [(inner[0][0] + inner[1][0]) / 2, (inner[0][1] + inner[1][1]) / 2];
  return pointInRing(m, outer);
}

function insideHole(ring: Ring, polygon: Ring[]): boolean {
  return polygon.slice(1).some((hole) => pointInRingOrOn(ring, hole));
}

/**
 * Make a polygonal geometry valid: closed rings, no crossings, holes inside shells, parts not
 * overlapping. Invalid input is rebuilt as the union of its own rings by polygon-clipping
 * (Martinez–Rueda sweep, robust on degenerate input), which is what `ST_MakeValid` with the
 * "structure" method does: the area a surveyor drew, counted once. Valid input is returned
 * as is, oriented outer counter-clockwise (RFC 7946).
 * @example repairAreal(bowtie).problems // ['self-intersection']
 */
export function repairAreal(geometry: Areal): RepairResult {
  const problems = validityProblems(geometry);
  if (problems.includes('non-finite coordinate')) return { geometry: null, problems };
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  if (problems.length === 0) return { geometry: orient(geometry), problems };
  const closed = polygons
    .map((rings) =>
      rings
        .map((r) => {
          const d = [...dedupe(r)];
          if (d.length > 0 && (d[0][0] !== d[d.length - 1][0] || d[0][1] !== d[d.length - 1][1]))
            d.push([d[0][0], d[0][1]]);
          return d as [number, number][];
        })
        .filter((r) => r.length >= 4),
    )
    .filter((rings) => rings.length > 0);
  if (closed.length === 0) return { geometry: null, problems };
  // Union outer rings, then subtract holes, so a hole that pokes out of its shell cuts only
  // what it covers and a bow-tie becomes its two lobes.
  const shells = polygonClipping.union(
    closed.map((rings) => [rings[0]]) as polygonClipping.MultiPolygon,
  );
  const holes = closed.flatMap((rings) => rings.slice(1).map((h) => [h]));
  const result = holes.length
    ? polygonClipping.difference(shells, holes as polygonClipping.MultiPolygon)
    : shells;
  const cleaned = result.filter((p) => Math.abs(signedRingArea(p[0])) > 0);
  if (cleaned.length === 0) return { geometry: null, problems };
  const out: Areal =
    cleaned.length === 1
      ? { type: 'Polygon', coordinates: cleaned[0] }
      : { type: 'MultiPolygon', coordinates: cleaned };
  return { geometry: orient(out), problems };
}

/** Outer rings counter-clockwise, holes clockwise (RFC 7946 §3.1.6). */
export function orient<G extends Polygon | MultiPolygon>(geometry: G): G {
  const ok = (rings: Ring[]) => rings.every((r, i) => (i === 0) === signedRingArea(r) > 0);
  const fix = (rings: Ring[]): Ring[] =>
    rings.map((r, i) => {
      const ccw = signedRingArea(r) > 0;
      return (i === 0) === ccw ? r : [...r].reverse();
    });
  if (geometry.type === 'Polygon')
    return ok(geometry.coordinates)
      ? geometry
      : { ...geometry, coordinates: fix(geometry.coordinates) };
  return { ...geometry, coordinates: (geometry as MultiPolygon).coordinates.map(fix) };
}
