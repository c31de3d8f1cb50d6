import type { Queryable } from './db.ts';

export type TokenKind = 'session' | 'api';

/** Stores a session or API token by the SHA-256 of its secret; returns its id. */
export async function insertToken(
  q: Queryable,
  t: {
    tokenHash: string;
    userId: number;
    kind: TokenKind;
    label?: string;
    expiresAt: Date;
    createdAt?: Date;
  },
): Promise<number> {
  const rows = await q.query<{ id: number }>(
    'INSERT INTO auth_tokens (token_hash, user_id, kind, label, expires_at, created_at) VALUES ($1,$2,$3,$4,$5,coalesce($6, now())) RETURNING id',
    [t.tokenHash, t.userId, t.kind, t.label ?? null, t.expiresAt, t.createdAt ?? null],
  );
  return rows[0].id;
}

/** The user, kind and id of a live token (not expired, user not disabled), touching its last use. */
export async function liveToken(
  q: Queryable,
  tokenHash: string,
  now: Date,
): Promise<{ userId: number; kind: TokenKind; id: number; expiresAt: Date } | null> {
  const rows = await q.query<{ user_id: number; kind: TokenKind; id: number; expires_at: Date }>(
    `UPDATE auth_tokens t SET last_used_at = $2 FROM users u
      WHERE t.token_hash = $1 AND u.id = t.user_id AND NOT u.disabled AND t.expires_at > $2
      RETURNING t.user_id, t.kind, t.id, t.expires_at`,
    [tokenHash, now],
  );
  return rows[0]
    ? { userId: rows[0].user_id, kind: rows[0].kind, id: rows[0].id, expiresAt: rows[0].expires_at }
    : null;
}

export async function deleteToken(q: Queryable, tokenHash: string): Promise<void> {
  await q.query('DELETE FROM auth_tokens WHERE token_hash = $1', [tokenHash]);
}

/** An API token as its owner may see it: never the secret, nor its hash. */
export interface ApiTokenInfo {
  id: number;
  label: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date;
}

/** A user's API tokens that have not expired, newest first. */
export async function apiTokensOf(
  q: Queryable,
  userId: number,
  now: Date,
): Promise<ApiTokenInfo[]> {
  const rows = await q.query<{
    id: number;
    label: string | null;
    created_at: Date;
    last_used_at: Date | null;
    expires_at: Date;
  }>(
    `SELECT id, label, created_at, last_used_at, expires_at FROM auth_tokens
      WHERE user_id = $1 AND kind = 'api' AND expires_at > $2 ORDER BY created_at DESC, id DESC`,
    [userId, now],
  );
  return rows.map((r) => ({
    id: r.id,
    label: r.label,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
  }));
}

/** Deletes one of a user's API tokens; returns its hash (to forget it at once), or null if none. */
export async function revokeApiToken(
  q: Queryable,
  userId: number,
  id: number,
): Promise<string | null> {
  const rows = await q.query<{ token_hash: string }>(
    `DELETE FROM auth_tokens WHERE id = $1 AND user_id = $2 AND kind = 'api' RETURNING token_hash`,
    [id, userId],
  );
  return rows[0]?.token_hash ?? null;
}

export async function recordLoginAttempt(
  q: Queryable,
  a: { username: string; ip: string; ok: boolean; at: Date; refused?: boolean },
): Promise<number> {
  const rows = await q.query<{ id: number }>(
    'INSERT INTO login_attempts (username, ip, ok, at, refused) VALUES ($1,$2,$3,$4,$5) RETURNING id',
    [a.username, a.ip, a.ok, a.at, a.refused ?? false],
  );
  return rows[0].id;
}

/** Marks an attempt (reserved as a failure before the password was checked) as a success. */
export async function markLoginSucceeded(q: Queryable, id: number): Promise<void> {
  await q.query('UPDATE login_attempts SET ok = true WHERE id = $1', [id]);
}

/** Failures counted by the login limits, each since `since` and since the username's last success. */
export interface LoginFailures {
  /** this username from this address */
  pair: number;
  /** this username from any address */
  user: number;
  /** any username from this address */
  address: number;
}

/**
 * Passwords tried and found wrong (refused requests do not count). A success resets the
 * username's counts, so the owner's login ends an attack's effect on the account.
 */
export async function loginFailures(
  q: Queryable,
  username: string,
  ip: string,
  since: Date,
): Promise<LoginFailures> {
  const rows = await q.query<LoginFailures>(
    `WITH last_ok AS (SELECT coalesce(max(at), '-infinity') AS at FROM login_attempts WHERE ok AND username = $1)
     SELECT
       (SELECT count(*)::int FROM login_attempts a, last_ok
         WHERE a.username = $1 AND a.ip = $2 AND NOT a.ok AND NOT a.refused AND a.at > $3 AND a.at > last_ok.at) AS pair,
       (SELECT count(*)::int FROM login_attempts a, last_ok
         WHERE a.username = $1 AND NOT a.ok AND NOT a.refused AND a.at > $3 AND a.at > last_ok.at) AS "user",
       (SELECT count(*)::int FROM login_attempts a
         WHERE a.ip = $2 AND NOT a.ok AND NOT a.refused AND a.at > $3) AS address`,
    [username, ip, since],
  );
  return rows[0];
}
