/**
 * Masks as horizontal runs of set pixels, row by row. A change mask covers a few per cent of
 * a scene at most, so hysteresis, closing and labelling on runs cost in proportion to the
 * change, not to the 120 million pixels of a Sentinel-2 tile; the dense passes these replace
 * (label4, the separable morphology) took most of a 10980² run's serial time. The dense
 * versions stay as the reference the property tests compare against.
 */

/** Runs of row y are [start[k], end[k]) for k in rowStart[y] … rowStart[y+1]−1, sorted, disjoint, not touching. */
export interface RowRuns {
  width: number;
  height: number;
  rowStart: Int32Array;
  start: Int32Array;
  end: Int32Array;
}

/** A growable pair of run arrays (start, end) filled row by row. */
class RunBuilder {
  start: Int32Array<ArrayBuffer> = new Int32Array(1024);
  end: Int32Array<ArrayBuffer> = new Int32Array(1024);
  n = 0;
  readonly rowStart: Int32Array;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.rowStart = new Int32Array(height + 1);
  }
  push(s: number, e: number): void {
    if (this.n === this.start.length) {
      const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.start = grow(this.start);
      this.end = grow(this.end);
    }
    this.start[this.n] = s;
    this.end[this.n++] = e;
  }
  /** Close row y (rows must be closed in order). */
  endRow(y: number): void {
    this.rowStart[y + 1] = this.n;
  }
  done(): RowRuns {
    return {
      width: this.width,
      height: this.height,
      rowStart: this.rowStart,
      start: this.start.subarray(0, this.n),
      end: this.end.subarray(0, this.n),
    };
  }
}

/**
 * The runs of the non-zero pixels of `mask` (w×h). Zero stretches are skipped four pixels at
 * a time through a 32-bit view, which is what makes a scan of a mostly empty scene cheap.
 */
export function runsOf(mask: Uint8Array, w: number, h: number): RowRuns {
  const out = new RunBuilder(w, h);
  const aligned = mask.byteOffset % 4 === 0;
  const words = aligned
    ? new Uint32Array(mask.buffer, mask.byteOffset, Math.floor(mask.length / 4))
    : undefined;
  for (let y = 0; y < h; y++) {
    const base = y * w;
    let x = 0;
    let runStart = -1;
    while (x < w) {
      const i = base + x;
      // Skip whole zero words while not inside a run.
      if (runStart < 0 && words && (i & 3) === 0 && x + 4 <= w && words[i >> 2] === 0) {
        x += 4;
        continue;
      }
      if (mask[i]) {
        if (runStart < 0) runStart = x;
      } else if (runStart >= 0) {
        out.push(runStart, x);
        runStart = -1;
      }
      x++;
    }
    if (runStart >= 0) out.push(runStart, w);
    out.endRow(y);
  }
  return out.done();
}

/** Call `f(y, x0, x1, k)` for every run k (pixels x0 … x1−1 of row y), in scan order. */
export function forEachRun(
  runs: RowRuns,
  f: (y: number, x0: number, x1: number, k: number) => void,
): void {
  const { height: h, rowStart, start, end } = runs;
  for (let y = 0; y < h; y++)
    for (let k = rowStart[y]; k < rowStart[y + 1]; k++) f(y, start[k], end[k], k);
}

/** Write `value` into `mask` (w×h, zeroed by the caller) on every run. */
export function paintRuns(runs: RowRuns, mask: Uint8Array, value = 1): Uint8Array {
  const { width: w, height: h, rowStart, start, end } = runs;
  for (let y = 0; y < h; y++)
    for (let k = rowStart[y]; k < rowStart[y + 1]; k++)
      mask.fill(value, y * w + start[k], y * w + end[k]);
  return mask;
}

/** Run labels of 4-connected components, numbered by their first pixel in scan order (as label4 does). */
export interface RunComponents {
  /** Per run: its component, 1…count. */
  runLabel: Int32Array;
  count: number;
  /** Per component (index 0 unused): pixel count and bounding box [minX, minY, maxX, maxY]. */
  sizes: Int32Array;
  boxes: Int32Array;
}

/**
 * 4-connected components of runs: a run joins every run of the row above that shares an x
 * with it (union–find over runs; Rosenfeld & Pfaltz's two-pass scheme on runs instead of pixels).
 */
export function labelRuns(runs: RowRuns): RunComponents {
  const { height: h, rowStart, start, end } = runs;
  const n = start.length;
  const parent = new Int32Array(n);
  for (let k = 0; k < n; k++) parent[k] = k;
  const find = (a: number): number => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]];
      a = parent[a];
    }
    return a;
  };
  for (let y = 1; y < h; y++) {
    let a = rowStart[y - 1];
    const aEnd = rowStart[y];
    for (let b = rowStart[y]; b < rowStart[y + 1]; b++) {
      while (a < aEnd && end[a] <= start[b]) a++;
      // Every run above that overlaps b; the last one may also overlap b's right neighbour.
      for (let k = a; k < aEnd && start[k] < end[b]; k++) {
        const ra = find(k);
        const rb = find(b);
        // The smaller run index is the root: components keep their first run's place in scan order.
        if (ra < rb) parent[rb] = ra;
        else if (rb < ra) parent[ra] = rb;
      }
    }
  }
  const runLabel = new Int32Array(n);
  let count = 0;
  for (let k = 0; k < n; k++) {
    const r = find(k);
    runLabel[k] = r === k ? ++count : runLabel[r];
  }
  const sizes = new Int32Array(count + 1);
  const boxes = new Int32Array((count + 1) * 4);
  for (let l = 1; l <= count; l++) {
    boxes[l * 4] = runs.width;
    boxes[l * 4 + 1] = h;
    boxes[l * 4 + 2] = -1;
    boxes[l * 4 + 3] = -1;
  }
  for (let y = 0; y < h; y++)
    for (let k = rowStart[y]; k < rowStart[y + 1]; k++) {
      const l = runLabel[k];
      const b = l * 4;
      sizes[l] += end[k] - start[k];
      if (start[k] < boxes[b]) boxes[b] = start[k];
      if (y < boxes[b + 1]) boxes[b + 1] = y;
      if (end[k] - 1 > boxes[b + 2]) boxes[b + 2] = end[k] - 1;
      if (y > boxes[b + 3]) boxes[b + 3] = y;
    }
  return { runLabel, count, sizes, boxes };
}

/** The runs whose `keep(component)` holds, as new runs. */
export function selectRuns(
  runs: RowRuns,
  comps: RunComponents,
  keep: (label: number) => boolean,
): RowRuns {
  const out = new RunBuilder(runs.width, runs.height);
  for (let y = 0; y < runs.height; y++) {
    for (let k = runs.rowStart[y]; k < runs.rowStart[y + 1]; k++)
      if (keep(comps.runLabel[k])) out.push(runs.start[k], runs.end[k]);
    out.endRow(y);
  }
  return out.done();
}

/**
 * Union of two interval lists (flat [s0, e0, s1, e1, …]), each sorted by start: overlapping
 * or touching intervals become one. A merge, not a sort: the rows' runs come sorted.
 */
function unionIntervals(a: number[], b: number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let s: number;
    let e: number;
    if (j >= b.length || (i < a.length && a[i] <= b[j])) {
      s = a[i];
      e = a[i + 1];
      i += 2;
    } else {
      s = b[j];
      e = b[j + 1];
      j += 2;
    }
    const n = out.length;
    if (n && s <= out[n - 1]) {
      if (e > out[n - 1]) out[n - 1] = e;
    } else out.push(s, e);
  }
  return out;
}

/** Intersection of two sorted disjoint interval lists. */
function intersectIntervals(a: number[], b: number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const s = Math.max(a[i], b[j]);
    const e = Math.min(a[i + 1], b[j + 1]);
    if (s < e) out.push(s, e);
    if (a[i + 1] < b[j + 1]) i += 2;
    else j += 2;
  }
  return out;
}

/**
 * Closing by a (2r+1)² square on runs, with the same edge rule as morphology.ts's `close`:
 * the dilation is clipped to the image, the erosion counts pixels beyond the edge as unset,
 * and the result is OR-ed with the input (closing stays extensive at the edge).
 */
export function closeRuns(runs: RowRuns, r: number): RowRuns {
  const { width: w, height: h, rowStart, start, end } = runs;
  if (r <= 0) return runs;
  // Dilation, row by row: the union of the runs of rows y−r … y+r, each widened by r.
  const dilated: number[][] = new Array(h);
  for (let y = 0; y < h; y++) {
    let row: number[] = [];
    for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) {
      if (rowStart[yy] === rowStart[yy + 1]) continue;
      const widened: number[] = [];
      for (let k = rowStart[yy]; k < rowStart[yy + 1]; k++)
        widened.push(Math.max(0, start[k] - r), Math.min(w, end[k] + r));
      row = unionIntervals(row, widened);
    }
    dilated[y] = row;
  }
  // Erosion: a pixel stays when its whole (2r+1)² neighbourhood lies in the dilation, i.e. it
  // lies in every row y−r … y+r of the dilation narrowed by r (nothing beyond the edge).
  const out = new RunBuilder(w, h);
  for (let y = 0; y < h; y++) {
    let acc: number[] | undefined;
    if (y - r >= 0 && y + r < h) {
      for (let yy = y - r; yy <= y + r && (acc === undefined || acc.length > 0); yy++) {
        const narrowed: number[] = [];
        const d = dilated[yy];
        for (let k = 0; k < d.length; k += 2)
          if (d[k] + r < d[k + 1] - r) narrowed.push(d[k] + r, d[k + 1] - r);
        acc = acc === undefined ? narrowed : intersectIntervals(acc, narrowed);
      }
    }
    const own: number[] = [];
    for (let k = rowStart[y]; k < rowStart[y + 1]; k++) own.push(start[k], end[k]);
    const merged = unionIntervals(acc ?? [], own);
    for (let k = 0; k < merged.length; k += 2) out.push(merged[k], merged[k + 1]);
    out.endRow(y);
  }
  return out.done();
}

/** One component on a raster of its bounding box. */
export interface ComponentRaster {
  /** Bounding box [minX, minY, maxX, maxY] in the runs' pixel coordinates (inclusive). */
  box: [number, number, number, number];
  width: number;
  height: number;
  /** 1 on the component's pixels, 0 elsewhere (width × height, row-major). */
  mask: Uint8Array;
  /** Pixel count. */
  size: number;
}

/**
 * Each component's runs, grouped: the runs of component l are `order[first[l]]` …
 * `order[first[l + 1] − 1]`, in scan order (a counting sort by label).
 */
export function runsByComponent(comps: RunComponents): { first: Int32Array; order: Int32Array } {
  const first = new Int32Array(comps.count + 2);
  for (const l of comps.runLabel) first[l + 1]++;
  for (let l = 1; l <= comps.count + 1; l++) first[l] += first[l - 1];
  const at = first.slice();
  const order = new Int32Array(comps.runLabel.length);
  comps.runLabel.forEach((l, k) => (order[at[l]++] = k));
  return { first, order };
}

/**
 * Component `l` alone on a raster of its bounding box — what tracing and evidence chips need,
 * without a scene-sized label raster (480 MB of Int32 for a 10980² scene).
 */
export function componentRaster(
  runs: RowRuns,
  comps: RunComponents,
  grouped: { first: Int32Array; order: Int32Array },
  l: number,
): ComponentRaster {
  const b = comps.boxes;
  const box: ComponentRaster['box'] = [b[l * 4], b[l * 4 + 1], b[l * 4 + 2], b[l * 4 + 3]];
  const width = box[2] - box[0] + 1;
  const height = box[3] - box[1] + 1;
  const mask = new Uint8Array(width * height);
  const rowOf = (k: number): number => {
    // The row of run k: binary search in rowStart (runs are in row order).
    let lo = 0;
    let hi = runs.height - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (runs.rowStart[mid] <= k) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  for (let j = grouped.first[l]; j < grouped.first[l + 1]; j++) {
    const k = grouped.order[j];
    const y = rowOf(k) - box[1];
    mask.fill(1, y * width + runs.start[k] - box[0], y * width + runs.end[k] - box[0]);
  }
  return { box, width, height, mask, size: comps.sizes[l] };
}
