import { describe, expect, it } from 'vitest';
import { covers, isValidCode, levelOf, prefixAt } from './codes.ts';

describe('jurisdiction codes', () => {
  it('accepts the stored forms of each level and their statistical 12-digit padding', () => {
    expect(isValidCode('000000', 'nation')).toBe(true);
    expect(isValidCode('140000', 'province')).toBe(true);
    expect(isValidCode('140500', 'city')).toBe(true);
    expect(isValidCode('140525', 'county')).toBe(true);
    expect(isValidCode('140525100', 'township')).toBe(true);
    expect(isValidCode('140525100201', 'village')).toBe(true);
    expect(isValidCode('140525100000', 'township')).toBe(true);
  });

  it('refuses a group numbered 0 at its own level, non-zero padding, and odd widths', () => {
    expect(isValidCode('140500', 'county')).toBe(false); // a county's number starts at 01: 140500 is the city
    expect(isValidCode('140000', 'city')).toBe(false);
    expect(isValidCode('140525', 'city')).toBe(false);
    expect(isValidCode('140525000', 'township')).toBe(false);
    expect(isValidCode('1405', 'city')).toBe(false);
    expect(isValidCode('14052510', 'township')).toBe(false);
    expect(isValidCode('14a525', 'county')).toBe(false);
  });

  it('reads the level of a bare code from its padding', () => {
    expect(levelOf('140000')).toBe('province');
    expect(levelOf('140500')).toBe('city');
    expect(levelOf('140525')).toBe('county');
    expect(levelOf('140525100')).toBe('township');
    expect(levelOf('140525100000')).toBe('township');
    expect(levelOf('140525100201')).toBe('village');
    expect(levelOf('1405')).toBeNull();
  });

  it('cuts the prefix by level', () => {
    expect(prefixAt('140000', 'nation')).toBe('');
    expect(prefixAt('140000', 'province')).toBe('14');
    expect(prefixAt('140500', 'city')).toBe('1405');
    expect(prefixAt('140525', 'county')).toBe('140525');
    expect(prefixAt('140525100201', 'township')).toBe('140525100');
  });

  // The case the old rules got wrong: the store cut county, township and village prefixes
  // by returning the whole stored code, so a township kept in the statistical 12-digit form
  // owned "140525100000" — none of its villages — while the ladder read the same code as
  // the township 140525100. The level decides: its prefix is its first 9 digits.
  it('gives a township stored at 12 digits its 9-digit prefix, covering its villages', () => {
    const prefix = prefixAt('140525100000', 'township');
    expect(prefix).toBe('140525100');
    expect(covers(prefix, '140525100201')).toBe(true);
    expect(prefixAt('140525000000', 'county')).toBe('140525');
  });

  it('covers codes that start with the prefix; the empty prefix covers the nation', () => {
    expect(covers('1405', '140525100201')).toBe(true);
    expect(covers('140525', '140521')).toBe(false);
    expect(covers('', '650102')).toBe(true);
  });
});
