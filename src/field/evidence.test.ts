import { describe, expect, it } from 'vitest';
import { resolveFieldConfig } from './config.ts';
import { distanceToArealM, geodesicDistanceM } from './distance.ts';
import { checkPhoto, taskWindowOf } from './evidence.ts';
import { assertPhotoFile, sniffImage } from './image.ts';

const square = {
  type: 'Polygon' as const,
  coordinates: [
    [
      [112, 35],
      [112.001, 35],
      [112.001, 35.001],
      [112, 35.001],
      [112, 35],
    ],
  ],
};
const config = resolveFieldConfig({});

describe('distance to a 图斑', () => {
  it('is 0 inside and the geodesic to the nearest edge outside', () => {
    expect(distanceToArealM([112.0005, 35.0005], square)).toBe(0);
    // due north of the top edge: the nearest point is straight below, on the edge
    const d = distanceToArealM([112.0005, 35.011], square);
    expect(d).toBeCloseTo(geodesicDistanceM([112.0005, 35.011], [112.0005, 35.001]), 3);
    expect(d).toBeGreaterThan(1100);
    expect(d).toBeLessThan(1120);
    // beyond a corner: the corner itself
    expect(distanceToArealM([111.99, 34.99], square)).toBeCloseTo(
      geodesicDistanceM([111.99, 34.99], [112, 35]),
      3,
    );
  });
  it('treats a hole as outside', () => {
    const ring = {
      type: 'Polygon' as const,
      coordinates: [
        square.coordinates[0].map(([x, y]) => [112 + (x - 112) * 10, 35 + (y - 35) * 10]),
        square.coordinates[0].map(([x, y]) => [112.004 + (x - 112), 35.004 + (y - 35)]),
      ],
    };
    expect(distanceToArealM([112.0045, 35.0045], ring)).toBeGreaterThan(40);
    expect(distanceToArealM([112.002, 35.002], ring)).toBe(0);
  });
  it('agrees with the GeographicLib inverse on a known line (1° of latitude at the equator ≈ 110 574 m)', () => {
    expect(geodesicDistanceM([0, 0], [0, 1])).toBeCloseTo(110574.4, 0);
  });
});

describe('photo checks', () => {
  const window = taskWindowOf({
    push: { at: '2026-11-20T02:00:00.000Z' },
    deadlines: [
      { kind: 'verify', startedAt: '2026-11-20T02:00:00.000Z', dueAt: '2026-11-27T02:00:00.000Z' },
    ],
  });
  const claim = {
    sha256: 'a'.repeat(64),
    lon: 112.0005,
    lat: 35.0005,
    accuracyM: 5,
    takenAt: '2026-11-21T00:00:00.000Z',
  };
  const received = new Date('2026-11-21T01:00:00.000Z');

  it('passes a consistent photo', () => {
    expect(
      checkPhoto(0, claim, claim.sha256, { geometry: square, window }, received, config),
    ).toEqual([]);
  });
  it('flags each inconsistency on its own', () => {
    const kinds = (c: Partial<typeof claim>, actual = claim.sha256) =>
      checkPhoto(2, { ...claim, ...c }, actual, { geometry: square, window }, received, config).map(
        (f) => f.kind,
      );
    expect(kinds({}, 'b'.repeat(64))).toEqual(['hash_mismatch']);
    expect(kinds({ lat: 35.004 })).toEqual(['too_far']);
    expect(kinds({ lat: 35.0027 })).toEqual([]); // ~190 m: inside the 200 m default
    expect(kinds({ takenAt: '2026-11-19T00:00:00.000Z' })).toEqual(['outside_window']);
    expect(kinds({ takenAt: '2026-11-20T01:55:00.000Z' })).toEqual([]); // within the clock-skew allowance
    expect(kinds({ takenAt: '2026-11-22T00:00:00.000Z' })).toEqual(['outside_window']); // after receipt: the future
    expect(kinds({ accuracyM: 500 })).toEqual(['low_accuracy']);
  });
  it('uses the configured distance', () => {
    const wide = resolveFieldConfig({ maxDistanceM: 1000 });
    expect(
      checkPhoto(
        0,
        { ...claim, lat: 35.005 },
        claim.sha256,
        { geometry: square, window },
        received,
        wide,
      ),
    ).toEqual([]);
    expect(() => resolveFieldConfig({ maxDistanceM: -1 })).toThrow(/field.config.maxDistanceM/);
  });
  it('reads the task window from the push and the verify deadline', () => {
    expect(window).toEqual({ from: '2026-11-20T02:00:00.000Z', to: '2026-11-27T02:00:00.000Z' });
    expect(taskWindowOf({ deadlines: [] })).toBeNull();
  });
});

describe('image sniffing', () => {
  it('knows photos by their bytes, not their names', () => {
    expect(sniffImage(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0]))).toBe('image/jpeg');
    expect(sniffImage(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe(
      'image/png',
    );
    expect(sniffImage(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(sniffImage(new TextEncoder().encode('\0\0\0\x18ftypheic\0\0'))).toBe('image/heic');
    expect(sniffImage(new TextEncoder().encode('GIF89a......'))).toBeNull();
    expect(
      sniffImage(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg">')),
    ).toBeNull();
  });
  it('refuses empty, oversized and non-image files naming the field', () => {
    expect(() => assertPhotoFile(new Uint8Array(0), 10, 'photos[0]')).toThrow(
      /photos\[0\] is empty/,
    );
    expect(() => assertPhotoFile(new Uint8Array(11).fill(0xff), 10, 'photos[1]')).toThrow(/limit/);
    expect(() => assertPhotoFile(new TextEncoder().encode('hello'), 10, 'photos[2]')).toThrow(
      /not a JPEG/,
    );
  });
});
