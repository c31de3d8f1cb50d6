import { describe, expect, it } from 'vitest';
import { label4 } from './components.ts';
import { close } from './morphology.ts';
import {
  closeRuns,
  componentRaster,
  labelRuns,
  paintRuns,
  runsByComponent,
  runsOf,
  selectRuns,
} from './runs.ts';
import { rng } from './test-fixtures.ts';

/** Random masks of blobs and specks, some touching the edges, at a few densities and odd widths. */
function randomMask(seed: number, w: number, h: number, density: number): Uint8Array {
  const r = rng(seed);
  const m = new Uint8Array(w * h);
  for (let i = 0; i < m.length; i++) if (r() < density) m[i] = 1 + Math.floor(r() * 3);
  // Blobs, so that components span rows and runs.
  for (let b = 0; b < 6; b++) {
    const cx = Math.floor(r() * w);
    const cy = Math.floor(r() * h);
    const rad = 1 + Math.floor(r() * 5);
    for (let y = Math.max(0, cy - rad); y < Math.min(h, cy + rad); y++)
      for (let x = Math.max(0, cx - rad); x < Math.min(w, cx + rad); x++)
        if (r() < 0.8) m[y * w + x] = 1;
  }
  return m;
}

const CASES = [
  { seed: 1, w: 37, h: 23, density: 0.05 },
  { seed: 2, w: 64, h: 40, density: 0.2 },
  { seed: 3, w: 13, h: 51, density: 0.45 },
  { seed: 4, w: 101, h: 7, density: 0.01 },
  { seed: 5, w: 1, h: 30, density: 0.3 },
  { seed: 6, w: 30, h: 1, density: 0.3 },
];

describe('row runs', () => {
  it.each(CASES)(
    'round-trip a mask exactly ($w×$h, density $density)',
    ({ seed, w, h, density }) => {
      const m = randomMask(seed, w, h, density);
      const runs = runsOf(m, w, h);
      const back = paintRuns(runs, new Uint8Array(w * h));
      expect(Array.from(back)).toEqual(Array.from(m, (v) => (v ? 1 : 0)));
      // Runs are sorted, disjoint and never touch (a touching pair would be one run).
      for (let y = 0; y < h; y++)
        for (let k = runs.rowStart[y] + 1; k < runs.rowStart[y + 1]; k++)
          expect(runs.start[k]).toBeGreaterThan(runs.end[k - 1]);
    },
  );

  it('scans a mask that is a view at an odd byte offset', () => {
    const buf = new Uint8Array(1 + 40 * 9);
    const m = buf.subarray(1);
    m.set(randomMask(9, 40, 9, 0.1));
    expect(Array.from(paintRuns(runsOf(m, 40, 9), new Uint8Array(360)))).toEqual(
      Array.from(m, (v) => (v ? 1 : 0)),
    );
  });

  it.each(CASES)(
    'label like label4: same numbering, sizes and boxes, and each component on its box ($w×$h)',
    ({ seed, w, h, density }) => {
      const m = randomMask(seed, w, h, density);
      const dense = label4(m, w, h);
      const runs = runsOf(m, w, h);
      const rc = labelRuns(runs);
      // Each component on its own bounding-box raster, painted back with its label.
      const grouped = runsByComponent(rc);
      const labels = new Int32Array(w * h);
      for (let l = 1; l <= rc.count; l++) {
        const c = componentRaster(runs, rc, grouped, l);
        expect(c.size).toBe(dense.sizes[l]);
        expect(c.box).toEqual(Array.from(dense.boxes.subarray(l * 4, l * 4 + 4)));
        for (let y = 0; y < c.height; y++)
          for (let x = 0; x < c.width; x++)
            if (c.mask[y * c.width + x]) labels[(c.box[1] + y) * w + c.box[0] + x] = l;
      }
      expect(rc.count).toBe(dense.count);
      expect(Array.from(labels)).toEqual(Array.from(dense.labels));
      expect(Array.from(rc.sizes)).toEqual(Array.from(dense.sizes));
      expect(Array.from(rc.boxes)).toEqual(Array.from(dense.boxes));
    },
  );

  it.each(CASES)('close like the dense closing, r = 1 and 2 ($w×$h)', ({ seed, w, h, density }) => {
    const m = randomMask(seed, w, h, density);
    for (const r of [1, 2]) {
      const dense = close(m, w, h, r);
      const viaRuns = paintRuns(closeRuns(runsOf(m, w, h), r), new Uint8Array(w * h));
      expect(Array.from(viaRuns), `r = ${r}`).toEqual(Array.from(dense));
    }
  });

  it('selects the runs of chosen components', () => {
    const w = 8;
    const m = Uint8Array.from('##..#...' + '#...##..' + '......##', (c) => (c === '#' ? 1 : 0));
    const runs = runsOf(m, w, 3);
    const rc = labelRuns(runs);
    expect(rc.count).toBe(3);
    const second = paintRuns(
      selectRuns(runs, rc, (l) => l === 2),
      new Uint8Array(24),
    );
    expect(Array.from(second).join('')).toBe('000010000000110000000000');
  });
});
