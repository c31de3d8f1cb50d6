import { describe, expect, it } from 'vitest';
import { scoreMasks } from './metrics.ts';

describe('scoreMasks', () => {
  it('computes precision, recall, F1, IoU and kappa', () => {
    const pred = [1, 1, 0, 0, 1, 0, 0, 0];
    const truth = [1, 0, 1, 0, 1, 0, 0, 0];
    const s = scoreMasks(pred, truth);
    expect(s).toMatchObject({ tp: 2, fp: 1, fn: 1, tn: 4 });
    expect(s.precision).toBeCloseTo(2 / 3);
    expect(s.recall).toBeCloseTo(2 / 3);
    expect(s.f1).toBeCloseTo(2 / 3);
    expect(s.iou).toBeCloseTo(0.5);
    // po = 6/8, pe = (3·3 + 5·5)/64
    expect(s.kappa).toBeCloseTo((0.75 - 34 / 64) / (1 - 34 / 64));
  });
  it('scores only the considered pixels of a sparse reference', () => {
    const s = scoreMasks([1, 1, 1, 0], [1, 0, 0, 0], [1, 1, 0, 0]);
    expect(s).toMatchObject({ tp: 1, fp: 1, fn: 0, tn: 0 });
  });
});
