import { describe, expect, it } from 'vitest';
import { Scope, scopePrefix } from './scope.ts';

describe('Scope', () => {
  it('takes its prefix from the jurisdiction’s level', () => {
    expect(scopePrefix('140000', 'nation')).toBe('');
    expect(scopePrefix('140000', 'province')).toBe('14');
    expect(scopePrefix('140500', 'city')).toBe('1405');
    expect(scopePrefix('140525', 'county')).toBe('140525');
    expect(scopePrefix('140525100', 'township')).toBe('140525100');
    expect(scopePrefix('140525100201', 'village')).toBe('140525100201');
  });

  // Used to go wrong: county, township and village prefixes were the whole stored code, so a
  // township chief whose township is stored in the statistical 12-digit form (140525100000)
  // saw none of the villages the ladder already counted as theirs.
  it('lets a township stored at 12 digits see its villages', () => {
    const township = new Scope(scopePrefix('140525100000', 'township'));
    expect(township.prefix).toBe('140525100');
    expect(township.covers('140525100201')).toBe(true);
    expect(township.covers('140525101201')).toBe(false);
  });

  it('writes its prefix as a LIKE condition and refuses what it does not cover', () => {
    const params: unknown[] = ['x'];
    expect(new Scope('1405').where('code', params)).toBe('code LIKE $2');
    expect(params).toEqual(['x', '1405%']);
    expect(() => new Scope('1405').assertCovers('140625', 'the polygon')).toThrow(
      expect.objectContaining({ code: 'forbidden_jurisdiction' }),
    );
    expect(() => new Scope('14a')).toThrow();
  });
});
