import { describe, expect, it } from 'vitest';
import type { Areal, Feature } from '../geo/types.ts';
import { DEFAULT_OVERSIGHT_CONFIG } from './config.ts';
import { checkReplacement, parcelMu } from './replacement.ts';

const sq = (x: number, y: number, d: number): Areal => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, y],
      [x + d, y],
      [x + d, y + d],
      [x, y + d],
      [x, y],
    ],
  ],
});
const feature = (id: number, geometry: Areal): Feature => ({
  type: 'Feature',
  id,
  geometry,
  properties: {},
});

// Farmland: a 0.01° square at (112, 35); permanent basic farmland: its south-west quarter.
const layers = { farmland: [feature(1, sq(112, 35, 0.01))], pbf: [feature(2, sq(112, 35, 0.005))] };
// A 0.001° square on farmland, outside the PBF quarter: about 13.7 亩 at 35° N.
const good = sq(112.006, 35.006, 0.001);
const cfg = DEFAULT_OVERSIGHT_CONFIG;

describe('补划 replacement parcels', () => {
  it('accepts farmland that is not yet PBF and holds the area lost', () => {
    const mu = parcelMu(good);
    expect(mu).toBeGreaterThan(13);
    const check = checkReplacement([good], layers, mu - 1, cfg);
    expect(check).toMatchObject({ accepted: true, farmlandMu: mu, messages: [] });
  });

  it('refuses parcels too small, off farmland, already PBF or overlapping', () => {
    expect(checkReplacement([good], layers, 20, cfg)).toMatchObject({
      accepted: false,
      problems: ['too_small'],
    });
    const off = checkReplacement([sq(112.02, 35.02, 0.001)], layers, 1, cfg);
    expect(off.parcels[0].problems).toEqual(['not_farmland']);
    const pbf = checkReplacement([sq(112.001, 35.001, 0.001)], layers, 1, cfg);
    expect(pbf.parcels[0].problems).toEqual(['already_pbf']);
    expect(pbf.messages[0]).toMatch(/^地块 1：已是永久基本农田/);
    const twice = checkReplacement([good, sq(112.0065, 35.0065, 0.001)], layers, 1, cfg);
    expect(twice.problems).toContain('overlapping');
  });
});
