/**
 * Who may act on a 图斑 and where. Role ids are the ones the store's `users.role` column
 * allows (see DOMAIN.md "Who uses it"); an actor's reach is a jurisdiction code prefix
 * (GB/T 2260 extended to 9 and 12 digits: "a jurisdiction's data is everything whose code
 * starts with its code"), the same prefix the store's `Scope` uses.
 */
import { GengbaoError } from '../errors.ts';

export const ROLES = [
  'province_monitor',
  'city_reviewer',
  'county_officer',
  'township_chief',
  'village_chief',
  'supervisor',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

/** The person taking an action, as the server authenticated them. */
export interface Actor {
  /** users.id as text (node-pg returns bigint as string). */
  id: string;
  role: Role;
  /** Jurisdiction prefix the actor covers: '' nation, '14' province, '1405' city, '140525' county, … */
  scope: string;
}

/** True when `code` lies inside the prefix `scope` (the empty scope covers the country). */
export function covers(scope: string, code: string): boolean {
  return code.startsWith(scope);
}

/**
 * Throws `forbidden_jurisdiction` unless the actor's scope covers the polygon's code:
 * a county officer of 140525 must not touch a polygon of 140521.
 */
export function assertCovers(actor: Actor, code: string): void {
  if (!covers(actor.scope, code)) {
    throw new GengbaoError(
      'forbidden_jurisdiction',
      `${actor.role} ${actor.id} (scope ${actor.scope || 'all'}) may not act in jurisdiction ${code}`,
      { field: 'jurisdiction_code' },
    );
  }
}

/**
 * Code-prefix lengths of the grid levels, top down: province 2, city 4, county 6, township 9,
 * village 12. Provinces with 5–7 grid levels (田长制 down to 村民小组 / 网格) append further
 * lengths; the ladder is configuration (`CasesConfig.gridPrefixLengths`).
 */
export const DEFAULT_GRID_PREFIX_LENGTHS: readonly number[] = [2, 4, 6, 9, 12];

/**
 * The prefix of the level above `code` on the grid ladder ('' = the nation): used to know
 * whom to notify when a deadline passes or a major case must be reported upward.
 * @example levelAbove('140525') // '1405'
 */
export function levelAbove(
  code: string,
  ladder: readonly number[] = DEFAULT_GRID_PREFIX_LENGTHS,
): string {
  const own = effectiveLength(code, ladder);
  let above = 0;
  for (const len of ladder) if (len < own) above = len;
  return code.slice(0, above);
}

/**
 * The length of `code` on the ladder, ignoring trailing zero groups the store pads codes
 * with (140500 is the city 1405 at county-code width).
 */
function effectiveLength(code: string, ladder: readonly number[]): number {
  if (code.length > ladder[ladder.length - 1]) return code.length;
  for (let i = ladder.length - 1; i >= 0; i--) {
    const len = ladder[i];
    if (len > code.length) continue;
    const prev = i === 0 ? 0 : ladder[i - 1];
    if (!/^0+$/.test(code.slice(prev, len))) return len;
  }
  return 0;
}
