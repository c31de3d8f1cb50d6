import type { Areal } from '../geo/types.ts';
import { GridLocator, type JurisdictionLevel } from '../grid/index.ts';
import type { Queryable } from '../store/db.ts';
import { listJurisdictions } from '../store/jurisdictions.ts';
import type { Scope } from '../store/scope.ts';

/**
 * The stored grid inside a scope as locators, finest level first (villages, then townships,
 * then counties), ready for the grid's `locateIn`.
 */
export async function gridOf(
  q: Queryable,
  scope: Scope,
  levels: JurisdictionLevel[] = ['village', 'township', 'county'],
): Promise<GridLocator[]> {
  return (await gridCellsOf(q, scope, levels)).map((cells) => new GridLocator(cells));
}

/** The cells gridOf's locators are built from, as plain data (to hand to a worker thread). */
export async function gridCellsOf(
  q: Queryable,
  scope: Scope,
  levels: JurisdictionLevel[] = ['village', 'township', 'county'],
): Promise<{ code: string; geometry: Areal }[][]> {
  const out: { code: string; geometry: Areal }[][] = [];
  for (const level of levels) {
    const cells = (await listJurisdictions(q, scope, { level, withGeometry: true }))
      .filter((j) => j.geometry)
      .map((j) => ({ code: j.code, geometry: j.geometry as Areal }));
    if (cells.length) out.push(cells);
  }
  return out;
}
