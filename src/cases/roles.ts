/**
 * Who may act on a 图斑 and where. Role ids are the ones the store's `users.role` column
 * allows (see docs/DOMAIN.md "Users and roles"); an actor's reach is a jurisdiction code prefix
 * (GB/T 2260 extended to 9 and 12 digits: "a jurisdiction's data is everything whose code
 * starts with its code"), the same prefix the store's `Scope` uses. The grid (`src/grid`) owns
 * the codes, their levels and the ladder; this file only says who may act.
 */
import { GengbaoError } from '../errors.ts';
import { covers } from '../grid/index.ts';

import type { Role } from './role-ids.ts';
export { ROLES, type Role } from './role-ids.ts';

/** The person taking an action, as the server authenticated them. */
export interface Actor {
  /** users.id as text (node-pg returns bigint as string). */
  id: string;
  role: Role;
  /** Jurisdiction prefix the actor covers: '' nation, '14' province, '1405' city, '140525' county, … */
  scope: string;
}

/**
 * Throws `forbidden_jurisdiction` unless the actor's scope covers the polygon's code:
 * a county officer of 140525 must not touch a polygon of 140521.
 */
export function assertCovers(actor: Actor, code: string): void {
  if (!covers(actor.scope, code)) {
    throw new GengbaoError(
      'forbidden_jurisdiction',
      `不在您的辖区内 / ${actor.role} ${actor.id} (scope ${actor.scope || 'all'}) may not act in jurisdiction ${code}`,
      { field: 'jurisdiction_code' },
    );
  }
}
