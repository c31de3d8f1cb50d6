import type { PixelPolygon, PixelRing } from './polygonize.ts';

/** Largest tolerance accepted, in pixels: below half a pixel no vertex can reach a neighbouring object. */
export const MAX_SIMPLIFY_PX = 0.49;

function dpKeep(r: PixelRing, a: number, b: number, tol2: number, keep: Uint8Array): void {
  // Iterative Douglas & Peucker (1973) between vertices a and b.
  const stack = [a, b];
  while (stack.length) {
    const j = stack.pop() as number;
    const i = stack.pop() as number;
    const ax = r[2 * i];
    const ay = r[2 * i + 1];
    const dx = r[2 * j] - ax;
    const dy = r[2 * j + 1] - ay;
    const len2 = dx * dx + dy * dy || 1;
    let worst = -1;
    let at = -1;
    for (let k = i + 1; k < j; k++) {
      const cross = (r[2 * k] - ax) * dy - (r[2 * k + 1] - ay) * dx;
      const d2 = (cross * cross) / len2;
      if (d2 > worst) {
        worst = d2;
        at = k;
      }
    }
    if (at >= 0 && worst > tol2) {
      keep[at] = 1;
      stack.push(i, at, at, j);
    }
  }
}

function segmentsCross(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  cx: number,
  cy: number,
  dx: number,
  dy: number,
): boolean {
  const o = (px: number, py: number, qx: number, qy: number, rx: number, ry: number): number =>
    Math.sign((qx - px) * (ry - py) - (qy - py) * (rx - px));
  // Proper crossings only: rings of pixel outlines may touch at shared vertices (pinches).
  const o1 = o(ax, ay, bx, by, cx, cy);
  const o2 = o(ax, ay, bx, by, dx, dy);
  const o3 = o(cx, cy, dx, dy, ax, ay);
  const o4 = o(cx, cy, dx, dy, bx, by);
  return o1 * o2 < 0 && o3 * o4 < 0;
}

function crosses(rings: PixelRing[]): boolean {
  const segs: number[] = [];
  for (const r of rings)
    for (let i = 0; i + 3 < r.length; i += 2) segs.push(r[i], r[i + 1], r[i + 2], r[i + 3]);
  for (let s = 0; s < segs.length; s += 4)
    for (let t = s + 4; t < segs.length; t += 4)
      if (
        segmentsCross(
          segs[s],
          segs[s + 1],
          segs[s + 2],
          segs[s + 3],
          segs[t],
          segs[t + 1],
          segs[t + 2],
          segs[t + 3],
        )
      )
        return true;
  return false;
}

/**
 * Simplify a pixel-edge polygon by Douglas–Peucker with a tolerance under half a pixel,
 * keeping every vertex the polygon visits twice (pinches where rings touch). The result is
 * checked: if any two of its edges cross, or a ring degenerates, the exact outline is kept —
 * so simplification never changes topology, only trims pixel staircases.
 */
export function simplifyPolygon(p: PixelPolygon, tolerancePx: number): PixelPolygon {
  const tol = Math.min(tolerancePx, MAX_SIMPLIFY_PX);
  if (!(tol > 0)) return p;
  const seen = new Map<string, number>();
  for (const r of p.rings)
    for (let i = 0; i + 2 < r.length; i += 2)
      seen.set(`${r[i]},${r[i + 1]}`, (seen.get(`${r[i]},${r[i + 1]}`) ?? 0) + 1);
  const rings = p.rings.map((r) => {
    const n = r.length / 2;
    const keep = new Uint8Array(n);
    keep[0] = 1;
    keep[n - 1] = 1;
    for (let i = 1; i < n - 1; i++)
      if ((seen.get(`${r[2 * i]},${r[2 * i + 1]}`) ?? 0) > 1) keep[i] = 1;
    // Split at the vertex farthest from the start so that a closed ring is never one chord.
    let far = 0;
    let best = -1;
    for (let i = 1; i < n - 1; i++) {
      const d = (r[2 * i] - r[0]) ** 2 + (r[2 * i + 1] - r[1]) ** 2;
      if (d > best) {
        best = d;
        far = i;
      }
    }
    keep[far] = 1;
    let last = 0;
    for (let i = 1; i < n; i++)
      if (keep[i]) {
        dpKeep(r, last, i, tol * tol, keep);
        last = i;
      }
    const out: number[] = [];
    for (let i = 0; i < n; i++) if (keep[i]) out.push(r[2 * i], r[2 * i + 1]);
    return out;
  });
  if (rings.some((r) => r.length < 8) || crosses(rings)) return p;
  return { rings };
}
