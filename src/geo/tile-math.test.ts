import { describe, expect, it } from 'vitest';
import { assertTile, tileBBox, tileLat, tileLon } from './tile-math.ts';

describe('tile math (Web Mercator XYZ)', () => {
  it('covers the whole mercator world at zoom 0 and splits it in four at zoom 1', () => {
    const [w, s, e, n] = tileBBox({ z: 0, x: 0, y: 0 });
    expect([w, e]).toEqual([-180, 180]);
    expect(n).toBeCloseTo(85.0511287798, 8);
    expect(s).toBeCloseTo(-85.0511287798, 8);
    expect(tileBBox({ z: 1, x: 1, y: 0 })).toEqual([0, 0, 180, expect.closeTo(85.0511287798, 8)]);
  });

  it('puts a known place in the tile that slippy-map tools name', () => {
    // 晋城 (112.85° E, 35.49° N) at zoom 12 is tile 3331/1615 (OSM wiki slippy-map formula, computed independently).
    const [w, s, e, n] = tileBBox({ z: 12, x: 3331, y: 1615 });
    expect(w).toBeLessThan(112.85);
    expect(e).toBeGreaterThan(112.85);
    expect(s).toBeLessThan(35.49);
    expect(n).toBeGreaterThan(35.49);
    expect(tileLon(3332, 12)).toBeCloseTo(e, 12);
    expect(tileLat(1616, 12)).toBeCloseTo(s, 12);
  });

  it('grows the box by the buffer fraction', () => {
    const t = { z: 10, x: 833, y: 408 };
    const [w, , e] = tileBBox(t);
    const [bw, , be] = tileBBox(t, 0.5);
    expect(w - bw).toBeCloseTo((e - w) / 2, 10);
    expect(be - e).toBeCloseTo((e - w) / 2, 10);
  });

  it('refuses addresses outside the pyramid, naming the coordinate', () => {
    expect(() => assertTile({ z: 23, x: 0, y: 0 })).toThrow(
      expect.objectContaining({ code: 'bad_input', field: 'z' }),
    );
    expect(() => assertTile({ z: 2, x: 4, y: 0 })).toThrow(expect.objectContaining({ field: 'x' }));
    expect(() => assertTile({ z: 2, x: 0, y: -1 })).toThrow(
      expect.objectContaining({ field: 'y' }),
    );
    expect(() => assertTile({ z: 2, x: 3, y: 3 })).not.toThrow();
  });
});
