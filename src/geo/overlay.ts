import Flatbush from 'flatbush';
import polygonClipping from 'polygon-clipping';
import { bboxOf } from './bbox.ts';
import { signedRingArea } from './repair.ts';
import type { Areal, BBox, Polygon, Ring } from './types.ts';

/**
 * A polygonal geometry prepared for repeated intersection: its box, whether it is one convex
 * ring (then Sutherland–Hodgman clipping is exact and ~50× faster than a general clipper), and
 * for large rings an index of its edges, so "is this small polygon wholly inside?" is answered
 * without clipping against thousands of vertices (a county boundary, a red-line zone).
 */
export interface Prepared {
  geometry: Areal;
  bbox: BBox;
  /** The single outer ring, counter-clockwise, when the geometry is one convex ring without holes. */
  convex?: Ring;
  /** Edge index for large geometries: edge i runs from vertex `edges[i]` to the next. */
  edgeIndex?: Flatbush;
  edges?: Array<[number, number, number, number]>;
}

/** Rings above this many vertices get an edge index. */
const INDEX_EDGES_ABOVE = 256;

/** Whether a closed ring is convex (all turns one way; collinear vertices allowed). */
export function isConvexRing(ring: Ring): boolean {
  const n = ring.length - 1;
  if (n < 3) return false;
  let sign = 0;
  for (let i = 0; i < n; i++) {
    const a = ring[i];
    const b = ring[(i + 1) % n];
    const c = ring[(i + 2) % n];
    const cross = (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0]);
    if (cross === 0) continue;
    if (sign === 0) sign = Math.sign(cross);
    else if (Math.sign(cross) !== sign) return false;
  }
  return sign !== 0;
}

/** Prepare a geometry for `intersect`. */
export function prepare(geometry: Areal): Prepared {
  const p: Prepared = { geometry, bbox: bboxOf(geometry) };
  if (
    geometry.type === 'Polygon' &&
    geometry.coordinates.length === 1 &&
    isConvexRing(geometry.coordinates[0])
  ) {
    const r = geometry.coordinates[0];
    p.convex = signedRingArea(r) > 0 ? r : [...r].reverse();
  }
  const rings = geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
  const count = rings.reduce((s, r) => s + r.length, 0);
  if (count > INDEX_EDGES_ABOVE) {
    const edges: Array<[number, number, number, number]> = [];
    for (const r of rings)
      for (let i = 0; i + 1 < r.length; i++)
        edges.push([r[i][0], r[i][1], r[i + 1][0], r[i + 1][1]]);
    const index = new Flatbush(edges.length);
    for (const e of edges)
      index.add(
        Math.min(e[0], e[2]),
        Math.min(e[1], e[3]),
        Math.max(e[0], e[2]),
        Math.max(e[1], e[3]),
      );
    index.finish();
    p.edgeIndex = index;
    p.edges = edges;
  }
  return p;
}

/** Even–odd point-in-polygon through the edge index (a ray to the east, only the edges it can cross). */
function pointInIndexed(x: number, y: number, p: Prepared): boolean {
  let inside = false;
  for (const i of p.edgeIndex!.search(x, y, Infinity, y)) {
    const [x1, y1, x2, y2] = p.edges![i];
    if (y1 > y !== y2 > y && x < ((x2 - x1) * (y - y1)) / (y2 - y1) + x1) inside = !inside;
  }
  return inside;
}

/**
 * Sutherland–Hodgman (1974): clip any simple ring by a convex counter-clockwise ring. Exact for
 * a convex clipper; a concave subject may leave zero-width bridges along the clipper's edges,
 * which add no area — and area is what the overlay needs.
 */
export function clipByConvex(subject: Ring, clip: Ring): Ring {
  let out: number[][] = subject.slice(0, subject.length - 1) as number[][];
  const m = clip.length - 1;
  for (let j = 0; j < m && out.length; j++) {
    const ax = clip[j][0];
    const ay = clip[j][1];
    const bx = clip[j + 1][0];
    const by = clip[j + 1][1];
    const input = out;
    out = [];
    const side = (p: number[]) => (bx - ax) * (p[1] - ay) - (by - ay) * (p[0] - ax);
    let prev = input[input.length - 1];
    let sPrev = side(prev);
    for (const cur of input) {
      const sCur = side(cur);
      if (sCur >= 0) {
        if (sPrev < 0) out.push(cross(prev, cur, sPrev, sCur));
        out.push(cur);
      } else if (sPrev >= 0) out.push(cross(prev, cur, sPrev, sCur));
      prev = cur;
      sPrev = sCur;
    }
  }
  if (out.length < 3) return [];
  out.push(out[0]);
  return out;
}

function cross(p: number[], q: number[], sp: number, sq: number): number[] {
  const t = sp / (sp - sq);
  return [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])];
}

const boxesOverlap = (a: BBox, b: BBox) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];

/**
 * The intersection of two prepared geometries, or null when it has no area. Fast paths, in
 * order: disjoint boxes; a small geometry wholly inside or outside a large indexed one (no edge
 * of the large one in the small one's box); a convex single ring on either side
 * (Sutherland–Hodgman); otherwise polygon-clipping (Martinez–Rueda sweep), robust on shared
 * edges, holes, slivers and self-touching rings.
 */
export function intersect(a: Prepared, b: Prepared): Areal | null {
  if (!boxesOverlap(a.bbox, b.bbox)) return null;
  for (const [small, large] of [
    [a, b],
    [b, a],
  ] as const) {
    if (large.edgeIndex && large.edgeIndex.search(...small.bbox).length === 0) {
      const first = (
        small.geometry.type === 'Polygon'
          ? small.geometry.coordinates[0]
          : small.geometry.coordinates[0][0]
      )[0];
      return pointInIndexed(first[0], first[1], large) ? small.geometry : null;
    }
  }
  const simple = (g: Areal): Ring | undefined =>
    g.type === 'Polygon' && g.coordinates.length === 1 ? g.coordinates[0] : undefined;
  if (b.convex && simple(a.geometry)) return ring(clipByConvex(simple(a.geometry)!, b.convex));
  if (a.convex && simple(b.geometry)) return ring(clipByConvex(simple(b.geometry)!, a.convex));
  const result = polygonClipping.intersection(
    a.geometry.coordinates as polygonClipping.Geom,
    b.geometry.coordinates as polygonClipping.Geom,
  );
  return fromMulti(result);
}

function ring(r: Ring): Polygon | null {
  return r.length >= 4 && signedRingArea(r) !== 0 ? { type: 'Polygon', coordinates: [r] } : null;
}

function fromMulti(m: polygonClipping.MultiPolygon): Areal | null {
  if (m.length === 0) return null;
  return m.length === 1
    ? { type: 'Polygon', coordinates: m[0] }
    : { type: 'MultiPolygon', coordinates: m };
}

/** The union of polygonal pieces (overlaps counted once), or null when there are none. */
export function unionAll(pieces: Areal[]): Areal | null {
  if (pieces.length === 0) return null;
  if (pieces.length === 1) return pieces[0];
  const [first, ...rest] = pieces.map((p) => p.coordinates as polygonClipping.Geom);
  return fromMulti(polygonClipping.union(first, ...rest));
}
