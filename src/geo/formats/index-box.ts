import type { Crs, ToLonLat } from '../crs.ts';
import type { BBox } from '../types.ts';

/** Points sampled along each edge of a projected box (corners included). */
const EDGE_SAMPLES = 16;
/** Widening of a transformed box, as a share of its size, for the bends between samples. */
const MARGIN = 0.01;

/**
 * A test on boxes in the file's CRS (a spatial index's node boxes) that lets through every box
 * whose features could pass `where` once they are in lon/lat: the index may only leave out
 * what the full read would have skipped. A lon/lat file's boxes are tested as they are, so the
 * index leaves out exactly what the full read's per-feature test would. A projected box is
 * mapped to lon/lat through its densified edges — a Transverse Mercator (Gauss–Krüger, UTM)
 * image of a box is bounded by the image of its edges, which bends between samples by far less
 * than the 1 % margin — so the test can only keep a few features too many, which the
 * per-feature test after decoding then skips. A box the transform refuses (outside its zone,
 * out of range) passes: its features are decoded and meet the same error as in a full read.
 */
export function sourceBoxTest(
  where: (bbox: BBox) => boolean,
  crs: Crs,
  project: ToLonLat,
): (box: BBox) => boolean {
  if (crs.geographic)
    return (b) => !(b[0] >= -180 && b[2] <= 180 && b[1] >= -90 && b[3] <= 90) || where(b);
  return (b) => {
    const lonLat = projectBox(b, project);
    return !lonLat || where(lonLat);
  };
}

/** The lon/lat box around the image of a projected box, or undefined when it cannot be mapped. */
function projectBox(b: BBox, project: ToLonLat): BBox | undefined {
  if (!(b[0] <= b[2] && b[1] <= b[3])) return undefined;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const add = (x: number, y: number) => {
    const [lon, lat] = project([x, y]);
    if (lon < minX) minX = lon;
    if (lon > maxX) maxX = lon;
    if (lat < minY) minY = lat;
    if (lat > maxY) maxY = lat;
  };
  try {
    for (let i = 0; i < EDGE_SAMPLES; i++) {
      const t = i / EDGE_SAMPLES;
      const x = b[0] + (b[2] - b[0]) * t;
      const y = b[1] + (b[3] - b[1]) * t;
      add(x, b[1]);
      add(b[2], y);
      add(b[2] - (b[2] - b[0]) * t, b[3]);
      add(b[0], b[3] - (b[3] - b[1]) * t);
    }
  } catch {
    return undefined;
  }
  const dx = (maxX - minX) * MARGIN + 1e-9;
  const dy = (maxY - minY) * MARGIN + 1e-9;
  return [minX - dx, minY - dy, maxX + dx, maxY + dy];
}
