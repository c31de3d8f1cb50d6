/**
 * The grid ladder: the prefix lengths of the 田长制 levels, top down. The default is the five
 * levels below the nation; a province with 村民小组 or 网格 below the village appends rungs
 * (`CasesConfig.gridPrefixLengths`). Used to find whom to tell one level up when a deadline
 * passes or a major case is reported.
 */
import { JURISDICTION_LEVELS, LEVEL_PREFIX_LENGTHS } from './levels.ts';

/**
 * The default grid ladder: the prefix lengths of the levels below the nation (2, 4, 6, 9,
 * 12). Provinces whose 田长制 goes further down (村民小组, 网格) append rungs through
 * `CasesConfig.gridPrefixLengths`; the first five stay the levels above.
 */
export const DEFAULT_GRID_PREFIX_LENGTHS: readonly number[] = JURISDICTION_LEVELS.slice(1).map(
  (l) => LEVEL_PREFIX_LENGTHS[l],
);

/**
 * The prefix of the level above `code` on the ladder ('' = the nation). `code` is a bare
 * scope or stored code with no level beside it, so its own rung is read from its padding
 * (see `ownPrefixLength`).
 * @example levelAbove('140525') // '1405'
 * @example levelAbove('140500') // '14': the city 1405 at county-code width
 */
export function levelAbove(
  code: string,
  ladder: readonly number[] = DEFAULT_GRID_PREFIX_LENGTHS,
): string {
  const own = ownPrefixLength(code, ladder);
  let above = 0;
  for (const len of ladder) if (len < own) above = len;
  return code.slice(0, above);
}

/**
 * The length of the prefix a bare code owns on the ladder: its deepest rung whose group is
 * not all zeros. No level of GB/T 2260 or its extension numbers a unit 0, so an all-zero
 * group is padding (140500 is the city 1405; 140525100000 the township 140525100 in the
 * statistical 12-digit form). Where a level is stored with the code, `prefixAt` decides instead.
 */
export function ownPrefixLength(
  code: string,
  ladder: readonly number[] = DEFAULT_GRID_PREFIX_LENGTHS,
): number {
  if (code.length > ladder[ladder.length - 1]) return code.length;
  for (let i = ladder.length - 1; i >= 0; i--) {
    const len = ladder[i];
    if (len > code.length) continue;
    const prev = i === 0 ? 0 : ladder[i - 1];
    if (!/^0+$/.test(code.slice(prev, len))) return len;
  }
  return 0;
}
