import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openScene } from '../raster/scene-source.ts';
import { rng, tempDir, utmGrid, writeMultiband } from '../raster/test-fixtures.ts';
import { fitChangeModel } from './calibrate.ts';
import { classifyWindow } from './classify.ts';
import { classifyInterleaved, interleavedApplies } from './classify-interleaved.ts';
import { classifyPairInto } from './classify-pair.ts';
import { readPairBlocks, readPairWindow, scenePair, type PairBlocks } from './pair-reader.ts';
import { PROFILES } from './profiles.ts';
import { windowSink } from './target.ts';
import { maskBandsOf } from './masks.ts';

/** A random 4-band UInt16 pair with every kind of pixel the classifier tells apart. */
function scene(
  seed: number,
  w: number,
  h: number,
): { before: Uint16Array[]; after: Uint16Array[] } {
  const r = rng(seed);
  const before = [0, 1, 2, 3].map(() => new Uint16Array(w * h));
  const after = [0, 1, 2, 3].map(() => new Uint16Array(w * h));
  for (let i = 0; i < w * h; i++) {
    const kind = r();
    // field (green), with noise
    const base = [600, 900, 700, 3500].map((v) => v + Math.floor(r() * 200));
    for (let b = 0; b < 4; b++) {
      before[b][i] = base[b];
      after[b][i] = Math.round(base[b] * 1.05 + 30 + r() * 150);
    }
    if (kind < 0.05)
      [1500, 1600, 1650, 1900].forEach((v, b) => (after[b][i] = v)); // roof
    else if (kind < 0.1)
      [900, 1100, 1400, 1800].forEach((v, b) => (after[b][i] = v)); // soil
    else if (kind < 0.13)
      [300, 700, 200, 5200].forEach((v, b) => (after[b][i] = v)); // greening
    else if (kind < 0.15)
      for (let b = 0; b < 4; b++) before[b][i] = 0; // fill
    else if (kind < 0.17)
      before[2][i] = 7; // nodata in red
    else if (kind < 0.19)
      for (let b = 0; b < 3; b++) after[b][i] = 3000; // cloud
    else if (kind < 0.2) [200, 250, 220, 300].forEach((v, b) => (after[b][i] = v)); // shadow
  }
  return { before, after };
}

describe('classifyInterleaved', () => {
  // Predictor 2: the blocks come as horizontal differences, summed along each row in the pass.
  it.each([1, 2] as const)(
    'gives classifyWindow’s classes, scores and counts exactly, tile by tile (predictor %i)',
    async (predictor) => {
      const dir = tempDir();
      const [W, H, T] = [80, 70, 32]; // edge tiles are partial
      const grid = utmGrid(W, H);
      const s = scene(21, W, H);
      const opts = { tileSize: T, predictor, interleave: 'pixel' as const, nodata: 7 };
      const b = writeMultiband(join(dir, 'b.tif'), s.before, grid, opts);
      // The after date's bands in another order: each date's sample order is honoured.
      const a = writeMultiband(
        join(dir, 'a.tif'),
        [s.after[2], s.after[0], s.after[3], s.after[1]],
        grid,
        opts,
      );
      const [before, after] = [await openScene(b), await openScene(a)];
      const pair = scenePair(before, after, ['1', '2', '3', '4'], ['2', '4', '1', '3']);
      const config = PROFILES.s2.config;
      expect(interleavedApplies(['blue', 'green', 'red', 'nir'], false, config)).toBe(true);
      expect(interleavedApplies(['blue', 'green', 'red', 'nir'], true, config)).toBe(false);
      const masks = maskBandsOf(['blue', 'green', 'red', 'nir']);
      const all = await readPairWindow(pair, { x0: 0, y0: 0, width: W, height: H });
      const model = fitChangeModel(all, ['blue', 'green', 'red', 'nir'], masks, config, {
        before: 7,
        after: 7,
      });
      let candidates = 0;
      // The whole scene, classified tile by tile straight into one target (the workers' way)
      // and from its Float32 bands by classifyWindowInto, into another.
      const region = { x0: 0, y0: 0, width: W, height: H };
      const direct = { cls: new Uint8Array(W * H), score: new Uint8Array(W * H), region };
      const placed = { cls: new Uint8Array(W * H), score: new Uint8Array(W * H), region };
      for (let y0 = 0; y0 < H; y0 += T)
        for (let x0 = 0; x0 < W; x0 += T) {
          const w = { x0, y0, width: Math.min(T, W - x0), height: Math.min(T, H - y0) };
          const blocks = readPairBlocks(pair, w);
          expect(blocks, `tile ${x0},${y0}`).toBeDefined();
          expect(blocks?.beforeDifferenced).toBe(predictor === 2);
          const fast = windowSink(w.width, w.height);
          const counts = classifyInterleaved(
            model,
            blocks as NonNullable<typeof blocks>,
            w.width,
            w.height,
            fast,
          );
          const bands = await readPairWindow(pair, w);
          const ref = classifyWindow(model, bands.before, bands.after, w.width * w.height, w.width);
          expect(Array.from(fast.cls)).toEqual(Array.from(ref.cls));
          expect(Array.from(fast.score)).toEqual(Array.from(ref.score));
          expect([counts.invalid, counts.seasonal, counts.greening]).toEqual([
            ref.invalid,
            ref.seasonal,
            ref.greening,
          ]);
          candidates += ref.cls.filter((c) => c > 0).length;
          classifyPairInto(direct, model, { blocks: readPairBlocks(pair, w) as PairBlocks }, w);
          classifyPairInto(placed, model, { bands, read: w }, w);
        }
      expect(Array.from(direct.cls)).toEqual(Array.from(placed.cls));
      expect(Array.from(direct.score)).toEqual(Array.from(placed.score));
      // The scene exercised the classifier: changes found, pixels masked.
      expect(candidates).toBeGreaterThan(200);
      // A window not on a tile corner is not served as a block.
      expect(readPairBlocks(pair, { x0: 5, y0: 0, width: 10, height: 10 })).toBeUndefined();
      await Promise.all([before.close(), after.close()]);
    },
  );
});
