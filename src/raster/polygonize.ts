/**
 * Pixel-edge polygonization: the outline of a 4-connected component, following pixel edges
 * exactly, with its holes. Rings are in pixel-corner coordinates (x right, y down) of the
 * labelled image; `ringsToCrs` maps them to a grid's CRS.
 */
import type { RasterGrid } from './grid.ts';

/** A ring as flat [x0, y0, x1, y1, …], closed (last vertex repeats the first). */
export type PixelRing = number[];

/** Outer ring first, then holes. */
export interface PixelPolygon {
  rings: PixelRing[];
}

// Directions: 0 east, 1 south, 2 west, 3 north (y down). DX/DY are the step of each.
const DX = [1, 0, -1, 0];
const DY = [0, 1, 0, -1];

/**
 * Outline of component `id` in `labels` (w×h), whose bounding box is `box` = [minX, minY,
 * maxX, maxY]. Every boundary edge of the component is walked clockwise on screen (interior
 * on the right), so in a y-up CRS outer rings come out counter-clockwise and holes clockwise,
 * as RFC 7946 asks. Where two pixels of the component touch only at a corner the walk takes
 * the right turn, keeping them apart as 4-connectivity says. Collinear vertices are dropped,
 * which changes no area: before simplification the polygon's area in pixel units equals
 * its pixel count.
 */
export function traceComponent(
  labels: Int32Array,
  w: number,
  h: number,
  id: number,
  box: ArrayLike<number>,
): PixelPolygon {
  const [bx0, by0, bx1, by1] = [box[0], box[1], box[2], box[3]];
  const vw = bx1 - bx0 + 2; // vertices per row in the box
  const vh = by1 - by0 + 2;
  // Bit d of edgeBits[v] = a boundary edge leaves vertex v in direction d; usedBits marks walked ones.
  const edgeBits = new Uint8Array(vw * vh);
  const usedBits = new Uint8Array(vw * vh);
  const at = (x: number, y: number): number => (y - by0) * vw + (x - bx0);
  const inside = (x: number, y: number): boolean =>
    x >= 0 && y >= 0 && x < w && y < h && labels[y * w + x] === id;
  for (let y = by0; y <= by1; y++)
    for (let x = bx0; x <= bx1; x++) {
      if (labels[y * w + x] !== id) continue;
      if (!inside(x, y - 1)) edgeBits[at(x, y)] |= 1; // top edge, eastward
      if (!inside(x + 1, y)) edgeBits[at(x + 1, y)] |= 2; // right edge, southward
      if (!inside(x, y + 1)) edgeBits[at(x + 1, y + 1)] |= 4; // bottom edge, westward
      if (!inside(x - 1, y)) edgeBits[at(x, y + 1)] |= 8; // left edge, northward
    }
  // The way on from a vertex given the incoming direction: right turn first (keeps pixels that
  // touch only at a corner apart), then straight, then left.
  const onward = (v: number, din: number): number => {
    const bits = edgeBits[v];
    for (const d of [(din + 1) & 3, din, (din + 3) & 3]) if (bits & (1 << d)) return d;
    return -1;
  };
  const rings: PixelRing[] = [];
  for (let s = 0; s < edgeBits.length; s++) {
    while (edgeBits[s] & ~usedBits[s]) {
      const free = edgeBits[s] & ~usedBits[s];
      const d0 = free & 1 ? 0 : free & 2 ? 1 : free & 4 ? 2 : 3;
      const sx = (s % vw) + bx0;
      const sy = Math.floor(s / vw) + by0;
      let x = sx;
      let y = sy;
      let d = d0;
      const ring: number[] = [x, y];
      for (;;) {
        usedBits[at(x, y)] |= 1 << d;
        x += DX[d];
        y += DY[d];
        const nd = onward(at(x, y), d);
        if (x === sx && y === sy && nd === d0) break;
        if (nd !== d) ring.push(x, y);
        d = nd;
      }
      // The start is the ring's first vertex in scan order, so always a corner.
      ring.push(ring[0], ring[1]);
      rings.push(ring);
    }
  }
  // The outer ring is the one with the largest area (positive on screen = clockwise); holes follow.
  rings.sort((a, b) => ringAreaPx(b) - ringAreaPx(a));
  return { rings };
}

/** Signed shoelace area of a pixel ring, positive for clockwise-on-screen (outer) rings. */
export function ringAreaPx(r: PixelRing): number {
  let s = 0;
  for (let i = 0; i + 3 < r.length; i += 2) s += r[i] * r[i + 3] - r[i + 2] * r[i + 1];
  return s / 2;
}

/** Map pixel-corner rings of a window (offset x0,y0 in `grid`) to CRS coordinates. */
export function ringsToCrs(p: PixelPolygon, grid: RasterGrid, x0 = 0, y0 = 0): number[][][] {
  return p.rings.map((r) => {
    const pts: number[][] = [];
    for (let i = 0; i < r.length; i += 2)
      pts.push([
        grid.originX + (x0 + r[i]) * grid.pixelWidth,
        grid.originY - (y0 + r[i + 1]) * grid.pixelHeight,
      ]);
    return pts;
  });
}
