/**
 * The levels of the jurisdiction grid, top down, and the code-prefix length each one owns
 * (GB/T 2260 for province, city and county; its extension to 9-digit townships and 12-digit
 * villages). The nation sits above the provinces and owns the empty prefix.
 */
export const JURISDICTION_LEVELS = [
  'nation',
  'province',
  'city',
  'county',
  'township',
  'village',
] as const;
export type JurisdictionLevel = (typeof JURISDICTION_LEVELS)[number];

/** How many leading digits of a code say which jurisdiction of a level it lies in. */
export const LEVEL_PREFIX_LENGTHS: Readonly<Record<JurisdictionLevel, number>> = {
  nation: 0,
  province: 2,
  city: 4,
  county: 6,
  township: 9,
  village: 12,
};

/** True when `s` names a level (for values read from the database or a request). */
export function isJurisdictionLevel(s: string): s is JurisdictionLevel {
  return (JURISDICTION_LEVELS as readonly string[]).includes(s);
}

/**
 * The level directly above `level`, or null above the nation.
 * @example levelAboveOf('county') // 'city'
 */
export function levelAboveOf(level: JurisdictionLevel): JurisdictionLevel | null {
  const i = JURISDICTION_LEVELS.indexOf(level);
  return i > 0 ? JURISDICTION_LEVELS[i - 1] : null;
}
