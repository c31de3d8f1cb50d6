import { describe, expect, it } from 'vitest';
import { DEFAULT_GRID_PREFIX_LENGTHS, levelAbove, ownPrefixLength } from './ladder.ts';
import { JURISDICTION_LEVELS, levelAboveOf } from './levels.ts';

describe('the grid ladder', () => {
  it('is the prefix lengths of the levels below the nation by default', () => {
    expect(DEFAULT_GRID_PREFIX_LENGTHS).toEqual([2, 4, 6, 9, 12]);
    expect(JURISDICTION_LEVELS[0]).toBe('nation');
    expect(levelAboveOf('county')).toBe('city');
    expect(levelAboveOf('nation')).toBeNull();
  });

  it('finds the level above on the default 5-rung ladder, reading padded codes by their padding', () => {
    expect(levelAbove('140525100201')).toBe('140525100');
    expect(levelAbove('140525100')).toBe('140525');
    expect(levelAbove('140525')).toBe('1405');
    expect(levelAbove('140500')).toBe('14'); // the city 1405 at county-code width
    expect(levelAbove('1405')).toBe('14');
    expect(levelAbove('140000')).toBe('');
    expect(levelAbove('14')).toBe('');
    expect(levelAbove('')).toBe('');
  });

  it('agrees with the prefix by level on a township in the statistical 12-digit form', () => {
    expect(ownPrefixLength('140525100000')).toBe(9);
    expect(levelAbove('140525100000')).toBe('140525');
  });

  it('follows a deeper grid (7 levels: 村民小组 and 网格 below the village)', () => {
    const ladder = [2, 4, 6, 9, 12, 14, 16];
    expect(levelAbove('1405251002010305', ladder)).toBe('14052510020103');
    expect(levelAbove('14052510020103', ladder)).toBe('140525100201');
    expect(levelAbove('140525100201', ladder)).toBe('140525100');
  });
});
