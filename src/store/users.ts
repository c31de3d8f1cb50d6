import { after, type KeyValue } from './keyset.ts';
import { GengbaoError } from '../errors.ts';
import type { Queryable } from './db.ts';
import { USER_LOGIN, USERS } from './rows/users.ts';
import { scopePrefix, Scope } from './scope.ts';
import type { RecordOf, Row } from './table.ts';

// The roles are the cases domain's (who may take which transition); the store keeps the same ids.
export { ROLES, type Role } from '../cases/roles.ts';
import { ROLES, type Role } from '../cases/roles.ts';

/** An account with its unit's level and name (declared in rows/users.ts). */
export type User = RecordOf<typeof USERS.columns>;

/** Who is acting, and therefore what they may see: built once per request from the session. */
export interface Principal extends User {
  scope: Scope;
}

const FROM = 'FROM users u JOIN jurisdictions j ON j.code = u.jurisdiction_code';
const SELECT = `SELECT ${USERS.select({ alias: 'u' })} ${FROM}`;
const toUser = (r: Row): User => USERS.read(r);

export function principalOf(user: User): Principal {
  return { ...user, scope: new Scope(scopePrefix(user.jurisdictionCode, user.jurisdictionLevel)) };
}

/**
 * Login needs the password hash before anyone is known, so this one read is unscoped; it
 * returns the hash only to the login service, never to a route.
 */
export async function findUserForLogin(
  q: Queryable,
  username: string,
): Promise<(User & { passwordHash: string }) | null> {
  const rows = await q.query<Row>(
    `SELECT ${USER_LOGIN.select({ alias: 'u' })} ${FROM} WHERE u.username = $1`,
    [username],
  );
  return rows[0] ? USER_LOGIN.read(rows[0]) : null;
}

/** The user behind a session or token; unscoped because it establishes the scope. */
export async function getUserById(q: Queryable, id: number): Promise<User | null> {
  const rows = await q.query<Row>(`${SELECT} WHERE u.id = $1`, [id]);
  return rows[0] ? toUser(rows[0]) : null;
}

/** Accounts in the scope by unit and username; `limit` and `afterKey` (that pair) page them. */
export async function listUsers(
  q: Queryable,
  scope: Scope,
  limit = 100_000,
  afterKey?: KeyValue[],
): Promise<User[]> {
  const params: unknown[] = [];
  const where = [scope.where('u.jurisdiction_code', params)];
  if (afterKey)
    where.push(
      after(['u.jurisdiction_code', 'u.username'], afterKey, params, { casts: ['text', 'text'] }),
    );
  const rows = await q.query<Row>(
    `${SELECT} WHERE ${where.join(' AND ')} ORDER BY u.jurisdiction_code, u.username LIMIT ${Math.max(1, Math.floor(limit))}`,
    params,
  );
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
  if (!(ROLES as readonly string[]).includes(u.role))
    throw new GengbaoError('bad_input', `unknown role ${u.role}; one of ${ROLES.join(', ')}`, {
      field: 'role',
    });
  const exists = await q.query('SELECT 1 FROM jurisdictions WHERE code = $1', [u.jurisdictionCode]);
  if (!exists.length)
    throw new GengbaoError('bad_input', `no jurisdiction with code ${u.jurisdictionCode}`, {
      field: 'jurisdictionCode',
    });
  const taken = await q.query('SELECT 1 FROM users WHERE username = $1', [u.username]);
  if (taken.length)
    throw new GengbaoError('conflict', `username ${u.username} is taken`, { field: 'username' });
  const rows = await q.query<{ id: number }>(
    `INSERT INTO users (username, display_name, password_hash, role, jurisdiction_code, phone) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id`,
    [u.username, u.displayName, u.passwordHash, u.role, u.jurisdictionCode, u.phone ?? null],
  );
  return (await getUserById(q, rows[0].id))!;
}
