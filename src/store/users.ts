import { GengbaoError } from '../errors.ts';
import type { Queryable } from './db.ts';
import type { JurisdictionLevel } from '../grid/index.ts';
import { scopePrefix, Scope } from './scope.ts';

// The roles are the cases domain's (who may take which transition); the store keeps the same ids.
export { ROLES, type Role } from '../cases/roles.ts';
import { ROLES, type Role } from '../cases/roles.ts';

export interface User {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  jurisdictionCode: string;
  jurisdictionLevel: JurisdictionLevel;
  jurisdictionName: string;
  phone: string | null;
  disabled: boolean;
}

/** Who is acting, and therefore what they may see: built once per request from the session. */
export interface Principal extends User {
  scope: Scope;
}

type Row = Record<string, unknown>;
const SELECT = `SELECT u.id, u.username, u.display_name, u.role, u.jurisdiction_code, u.phone, u.disabled,
  j.level AS jurisdiction_level, j.name AS jurisdiction_name FROM users u JOIN jurisdictions j ON j.code = u.jurisdiction_code`;

function toUser(r: Row): User {
  return {
    id: r.id as number,
    username: r.username as string,
    displayName: r.display_name as string,
    role: r.role as Role,
    jurisdictionCode: r.jurisdiction_code as string,
    jurisdictionLevel: r.jurisdiction_level as JurisdictionLevel,
    jurisdictionName: r.jurisdiction_name as string,
    phone: (r.phone as string) ?? null,
    disabled: r.disabled as boolean,
  };
}

export function principalOf(user: User): Principal {
  return { ...user, scope: new Scope(scopePrefix(user.jurisdictionCode, user.jurisdictionLevel)) };
}

/**
 * Login needs the password hash before anyone is known, so this one read is unscoped; it
 * returns the hash only to the login service, never to a route.
 */
export async function findUserForLogin(q: Queryable, username: string): Promise<(User & { passwordHash: string }) | null> {
  const rows = await q.query<Row>(`${SELECT.replace('SELECT u.id', 'SELECT u.password_hash, u.id')} WHERE u.username = $1`, [username]);
  return rows[0] ? { ...toUser(rows[0]), passwordHash: rows[0].password_hash as string } : null;
}

/** The user behind a session or token; unscoped because it establishes the scope. */
export async function getUserById(q: Queryable, id: number): Promise<User | null> {
  const rows = await q.query<Row>(`${SELECT} WHERE u.id = $1`, [id]);
  return rows[0] ? toUser(rows[0]) : null;
}

export async function listUsers(q: Queryable, scope: Scope): Promise<User[]> {
  const params: unknown[] = [];
  const rows = await q.query<Row>(`${SELECT} WHERE ${scope.where('u.jurisdiction_code', params)} ORDER BY u.jurisdiction_code, u.username`, params);
  return rows.map(toUser);
}

export interface NewUser {
  username: string;
  displayName: string;
  passwordHash: string;
  role: Role;
  jurisdictionCode: string;
  phone?: string | null;
}

/** Creates a user inside the creator's scope; a duplicate username is a clear conflict. */
export async function insertUser(q: Queryable, scope: Scope, u: NewUser): Promise<User> {
  scope.assertCovers(u.jurisdictionCode, `user ${u.username}`);
  if (!(ROLES as readonly string[]).includes(u.role)) throw new GengbaoError('bad_input', `unknown role ${u.role}; one of ${ROLES.join(', ')}`, { field: 'role' });
  const exists = await q.query('SELECT 1 FROM jurisdictions WHERE code = $1', [u.jurisdictionCode]);
  if (!exists.length) throw new GengbaoError('bad_input', `no jurisdiction with code ${u.jurisdictionCode}`, { field: 'jurisdictionCode' });
  const taken = await q.query('SELECT 1 FROM users WHERE username = $1', [u.username]);
  if (taken.length) throw new GengbaoError('conflict', `username ${u.username} is taken`, { field: 'username' });
  const rows = await q.query<{ id: number }>(
    `INSERT INTO users (username, display_name, password_hash, role, jurisdiction_code, phone) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id`,
    [u.username, u.displayName, u.passwordHash, u.role, u.jurisdictionCode, u.phone ?? null],
  );
  return (await getUserById(q, rows[0].id))!;
}
