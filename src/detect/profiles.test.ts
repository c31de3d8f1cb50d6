import { describe, expect, it } from 'vitest';
import { PROFILES, profileOf, resolveBands } from './profiles.ts';

describe('sensor profiles', () => {
  it('maps Sentinel-2 band files, with SCL when present', () => {
    expect(resolveBands(PROFILES.s2, ['B02', 'B03', 'B04', 'B08', 'SCL'], 'x')).toEqual({
      blue: 'B02',
      green: 'B03',
      red: 'B04',
      nir: 'B08',
      scl: 'SCL',
    });
  });
  it('maps a Landsat TM six-band stack and OLI band files', () => {
    expect(resolveBands(PROFILES.landsat, ['1', '2', '3', '4', '5', '6'], 'x')).toMatchObject({
      nir: '4',
      swir1: '5',
      swir2: '6',
    });
    expect(
      resolveBands(PROFILES['landsat-oli'], ['B1', 'B2', 'B3', 'B4', 'B5', 'B6', 'B7'], 'x'),
    ).toMatchObject({ blue: 'B2', nir: 'B5', swir1: 'B6' });
  });
  it('maps Gaofen-style four-band stacks and band files', () => {
    expect(resolveBands(PROFILES.gf, ['1', '2', '3', '4'], 'x')).toEqual({
      blue: '1',
      green: '2',
      red: '3',
      nir: '4',
    });
    expect(resolveBands(PROFILES.gf, ['B1', 'B2', 'B3', 'B4'], 'x')).toMatchObject({ nir: 'B4' });
  });
  it('takes --bands in role order and refuses bands a scene lacks', () => {
    expect(
      resolveBands(PROFILES.s2, ['1', '2', '3', '4'], 'x', ['3', '2', '1', '4']),
    ).toMatchObject({ blue: '3', red: '1', nir: '4' });
    expect(() =>
      resolveBands(PROFILES.s2, ['1', '2', '3'], 'before a.tif', ['1', '2', '3', '4']),
    ).toThrow(/before a.tif: band 4 is missing/);
    expect(() => resolveBands(PROFILES.rgb, ['1', '2'], 'after b.tif')).toThrow(
      /after b.tif: no band for blue under sensor rgb/,
    );
    expect(() => profileOf('modis')).toThrow(/unknown sensor "modis"/);
  });
});
