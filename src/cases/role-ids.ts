/**
 * The role ids, the ones the store's `users.role` column allows (docs/DOMAIN.md "Users and
 * roles"). Apart from roles.ts so the browser apps can import the list without the grid.
 */
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
