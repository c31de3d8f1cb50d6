/** A labelling of a binary mask into 4-connected components. */
export interface Components {
  /** Row-major labels: 0 = background, 1..count = component. */
  labels: Int32Array;
  count: number;
  /** Per label (index 0 unused): pixel count and bounding box [minX, minY, maxX, maxY] in pixels. */
  sizes: Int32Array;
  boxes: Int32Array;
}

/**
 * Label the 4-connected components of `mask` (non-zero = set) by a two-pass scan with
 * union–find (Rosenfeld & Pfaltz 1966). 4-connectivity is chosen because it is the one whose
 * components have pixel-edge outlines without self-crossings: two pixels touching only at a
 * corner are two polygons, as in gdal_polygonize's default.
 */
export function label4(mask: Uint8Array, w: number, h: number): Components {
  const labels = new Int32Array(w * h);
  let parent = new Int32Array(1024);
  let next = 1;
  const find = (a: number): number => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]];
      a = parent[a];
    }
    return a;
  };
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const i = row + x;
      if (!mask[i]) continue;
      const left = x > 0 ? labels[i - 1] : 0;
      const up = y > 0 ? labels[i - w] : 0;
      if (left === 0 && up === 0) {
        if (next >= parent.length) {
          const grown = new Int32Array(parent.length * 2);
          grown.set(parent);
          parent = grown;
        }
        parent[next] = next;
        labels[i] = next++;
      } else if (left !== 0 && up !== 0) {
        const a = find(left);
        const b = find(up);
        labels[i] = a < b ? a : b;
        if (a !== b) parent[a < b ? b : a] = a < b ? a : b;
      } else labels[i] = left || up;
    }
  }
  // Resolve to consecutive labels.
  const remap = new Int32Array(next);
  let count = 0;
  for (let l = 1; l < next; l++) {
    const r = find(l);
    remap[l] = r === l ? ++count : remap[r];
  }
  const sizes = new Int32Array(count + 1);
  const boxes = new Int32Array((count + 1) * 4);
  for (let l = 1; l <= count; l++) {
    boxes[l * 4] = w;
    boxes[l * 4 + 1] = h;
    boxes[l * 4 + 2] = -1;
    boxes[l * 4 + 3] = -1;
  }
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (labels[i] === 0) continue;
      const l = remap[labels[i]];
      labels[i] = l;
      sizes[l]++;
      const b = l * 4;
      if (x < boxes[b]) boxes[b] = x;
      if (y < boxes[b + 1]) boxes[b + 1] = y;
      if (x > boxes[b + 2]) boxes[b + 2] = x;
      if (y > boxes[b + 3]) boxes[b + 3] = y;
    }
  return { labels, count, sizes, boxes };
}
