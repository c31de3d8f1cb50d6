import { describe, expect, it } from 'vitest';
import { assertCovers, covers, levelAbove } from './roles.ts';

describe('jurisdiction prefixes', () => {
  it('covers codes that start with the scope; the empty scope covers the nation', () => {
    expect(covers('1405', '140525100201')).toBe(true);
    expect(covers('140525', '140521')).toBe(false);
    expect(covers('', '650102')).toBe(true);
    expect(() =>
      assertCovers({ id: 'u', role: 'county_officer', scope: '140525' }, '140521'),
    ).toThrow(
      expect.objectContaining({ code: 'forbidden_jurisdiction', field: 'jurisdiction_code' }),
    );
  });

  it('finds the level above on the default 5-rung ladder, reading padded codes by level', () => {
    expect(levelAbove('140525100201')).toBe('140525100');
    expect(levelAbove('140525100')).toBe('140525');
    expect(levelAbove('140525')).toBe('1405');
    expect(levelAbove('140500')).toBe('14'); // the city 1405 at county-code width
    expect(levelAbove('1405')).toBe('14');
    expect(levelAbove('140000')).toBe('');
    expect(levelAbove('14')).toBe('');
  });

  it('follows a deeper grid (7 levels: 村民小组 and 网格 below the village)', () => {
    const ladder = [2, 4, 6, 9, 12, 14, 16];
    expect(levelAbove('1405251002010305', ladder)).toBe('14052510020103');
    expect(levelAbove('14052510020103', ladder)).toBe('140525100201');
  });
});
