/**
 * Jurisdiction codes: whether a code is well formed for its level, the prefix it owns at a
 * level, and which codes a prefix covers. A jurisdiction's data is everything whose code
 * starts with its prefix, so these few rules decide who sees what.
 */
import { JURISDICTION_LEVELS, LEVEL_PREFIX_LENGTHS, type JurisdictionLevel } from './levels.ts';

/** Widths a code may be stored at: GB/T 2260's six digits, the township's nine, the village's twelve. */
const STORED_WIDTHS = [6, 9, 12];

const allZeros = (s: string): boolean => /^0+$/.test(s);

/**
 * True when `code` is a well-formed code of a jurisdiction at `level`: digits, stored at 6, 9
 * or 12 digits and at least as long as the level's prefix, every group down to the level
 * numbered (GB/T 2260 never numbers a province, city, county, township or village 0), and
 * zeros after it (the padding: the city 1405 is stored as 140500, and the statistical
 * 12-digit form writes the township 140525100 as 140525100000).
 * @example isValidCode('140500', 'city') // true
 * @example isValidCode('140500', 'county') // false: a county's number starts at 01
 */
export function isValidCode(code: string, level: JurisdictionLevel): boolean {
  const own = LEVEL_PREFIX_LENGTHS[level];
  if (!/^\d+$/.test(code) || !STORED_WIDTHS.includes(code.length) || code.length < own)
    return false;
  let from = 0;
  for (const l of JURISDICTION_LEVELS) {
    const to = LEVEL_PREFIX_LENGTHS[l];
    if (to > own) break;
    if (to > from && allZeros(code.slice(from, to))) return false;
    from = to;
  }
  return own === code.length || allZeros(code.slice(own));
}

/**
 * The level a code names when no level is stored with it, read from its zero padding
 * (140000 a province, 140500 a city, 140525 a county, 140525100 a township); null when the
 * code is not a well-formed code of any level.
 * @example levelOf('140500') // 'city'
 */
export function levelOf(code: string): JurisdictionLevel | null {
  for (let i = JURISDICTION_LEVELS.length - 1; i >= 0; i--) {
    if (isValidCode(code, JURISDICTION_LEVELS[i])) return JURISDICTION_LEVELS[i];
  }
  return null;
}

/**
 * The prefix `code` shares with everything in its jurisdiction at `level`: the first 0, 2,
 * 4, 6, 9 or 12 digits. The level decides, not the code's width or its trailing zeros: the
 * city 140500 owns "1405", the township stored as 140525100000 owns "140525100".
 * @example prefixAt('140525100201', 'county') // '140525'
 */
export function prefixAt(code: string, level: JurisdictionLevel): string {
  return code.slice(0, LEVEL_PREFIX_LENGTHS[level]);
}

/**
 * True when `code` lies inside the jurisdiction whose prefix is `scope` (the empty prefix
 * covers the nation).
 * @example covers('1405', '140525100201') // true
 */
export function covers(scope: string, code: string): boolean {
  return code.startsWith(scope);
}
