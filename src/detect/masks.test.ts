import { describe, expect, it } from 'vitest';
import { maskBandsOf, validPixels } from './masks.ts';
import { PROFILES } from './profiles.ts';
import { plainRadiometry } from './radiometry.ts';

const s2 = plainRadiometry(PROFILES.s2.config)!.before;

const idx = maskBandsOf(['blue', 'green', 'red', 'nir'], 'scl');
const px = (...values: number[][]): Float32Array[] =>
  [0, 1, 2, 3, 4].map((b) => Float32Array.from(values, (v) => v[b]));

describe('validPixels', () => {
  it('masks nodata, NaN, all-zero fill, SCL clouds/shadows and, with reflectance, bright clouds and dark shadows', () => {
    const bands = px(
      [500, 700, 600, 3000, 4], // vegetation: valid
      [7, 700, 600, 3000, 4], // nodata 7 in one band
      [NaN, 700, 600, 3000, 4],
      [0, 0, 0, 0, 4], // fill
      [500, 700, 600, 3000, 9], // SCL cloud high probability
      [500, 700, 600, 3000, 3], // SCL cloud shadow
      [3700, 3600, 3500, 3900, 4], // cloud: bright, green above red
      [200, 250, 220, 300, 4], // dark shadow / water
      [1400, 1500, 1600, 1900, 5], // bright roof, SCL bare: valid
      [2600, 3000, 3700, 4000, 4], // brighter roof or desert sand, reddening: valid
      [4100, 4000, 4200, 4300, 4], // green above 0.39: cloud even though red is higher
    );
    expect([...validPixels(bands, idx, 11, 7, s2)]).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0]);
    // Uncalibrated DNs: no brightness tests (a new roof must not be taken for a cloud).
    expect([...validPixels(bands, { ...idx, quality: -1 }, 11, null, null)]).toEqual([
      1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1,
    ]);
  });

  it('tests the SWIR bands too, and reads a pixel non-zero in any band as data', () => {
    // blue, green, red, nir, swir1, swir2 (no SCL).
    const six = maskBandsOf(['blue', 'green', 'red', 'nir', 'swir1', 'swir2']);
    const bands = [0, 1, 2, 3, 4, 5].map((b) =>
      Float32Array.from(
        [
          [500, 700, 600, 3000, 2000, 1500], // valid
          [500, 700, 600, 3000, 9, 1500], // nodata 9 in SWIR1
          [500, 700, 600, 3000, 2000, NaN], // NaN in SWIR2
          [0, 0, 0, 0, 0, 1200], // only SWIR2 has data: not fill
          [0, 0, 0, 0, 0, 0], // fill
        ],
        (v) => v[b],
      ),
    );
    expect([...validPixels(bands, six, 5, 9, null)]).toEqual([1, 0, 0, 1, 0]);
  });
});

describe('validPixels with Landsat Collection 2 QA_PIXEL', () => {
  it('masks fill, dilated cloud, cirrus, cloud, cloud shadow and snow bits, and keeps clear and water', () => {
    const qa = [0, 1, 2, 4, 8, 16, 32, 64, 128, 0x5540, 0x5708, 0x7f80];
    const bands = [500, 700, 600, 3000].map((v) => new Float32Array(qa.length).fill(v));
    bands.push(Float32Array.from(qa));
    const idx = maskBandsOf(['blue', 'green', 'red', 'nir'], 'qa');
    // 0x5540: clear, low confidences (a typical clear land pixel); 0x5708: cloud, high
    // confidence; 0x7f80: water with cirrus and cloud confidence bits but no hiding bit.
    expect([...validPixels(bands, idx, qa.length, null, null)]).toEqual([
      1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 1,
    ]);
  });
});
