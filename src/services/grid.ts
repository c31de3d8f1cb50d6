import type { Areal } from '../../geo/types.ts';
import { GridLocator } from '../../grid/locate.ts';
import type { Queryable } from '../../store/db.ts';
import { listJurisdictions } from '../../store/jurisdictions.ts';
import type { JurisdictionLevel, Scope } from '../../store/scope.ts';

/** The stored grid inside a scope as locators, finest level first (villages, then townships, then counties). */
export async function gridOf(
  q: Queryable,
  scope: Scope,
  levels: JurisdictionLevel[] = ['village', 'township', 'county'],
): Promise<GridLocator[]> {
  const out: GridLocator[] = [];
  for (const level of levels) {
    const cells = (await listJurisdictions(q, scope, { level, withGeometry: true }))
      .filter((j) => j.geometry)
      .map((j) => ({ code: j.code, geometry: j.geometry as Areal }));
    if (cells.length) out.push(new GridLocator(cells));
  }
  return out;
}

/** The code of the finest cell a geometry lies in, or null outside the grid. */
export function locateIn(grid: GridLocator[], g: Areal): string | null {
  for (const l of grid) {
    const code = l.locate(g);
    if (code) return code;
  }
  return null;
}
