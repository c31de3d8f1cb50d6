import { describe, expect, it } from 'vitest';
import { assertCovers } from './roles.ts';

describe('who may act where', () => {
  it('refuses an actor outside the polygon’s jurisdiction', () => {
    expect(() =>
      assertCovers({ id: 'u', role: 'county_officer', scope: '140525' }, '140525100201'),
    ).not.toThrow();
    expect(() =>
      assertCovers({ id: 'u', role: 'province_monitor', scope: '' }, '650102'),
    ).not.toThrow();
    expect(() =>
      assertCovers({ id: 'u', role: 'county_officer', scope: '140525' }, '140521'),
    ).toThrow(
      expect.objectContaining({ code: 'forbidden_jurisdiction', field: 'jurisdiction_code' }),
    );
  });
});
