import type { Queryable } from './db.ts';

/** Stores a session or API token by the SHA-256 of its secret. */
export async function insertToken(
  q: Queryable,
  t: { tokenHash: string; userId: number; kind: 'session' | 'api'; label?: string; expiresAt: Date | null },
): Promise<void> {
  await q.query('INSERT INTO auth_tokens (token_hash, user_id, kind, label, expires_at) VALUES ($1,$2,$3,$4,$5)', [
    t.tokenHash,
    t.userId,
    t.kind,
    t.label ?? null,
    t.expiresAt,
  ]);
}

/** The user id of a live token (not expired, user not disabled), touching its last use. */
export async function userIdForToken(q: Queryable, tokenHash: string, now: Date): Promise<number | null> {
  const rows = await q.query<{ user_id: number }>(
    `UPDATE auth_tokens t SET last_used_at = $2 FROM users u
      WHERE t.token_hash = $1 AND u.id = t.user_id AND NOT u.disabled AND (t.expires_at IS NULL OR t.expires_at > $2)
      RETURNING t.user_id`,
    [tokenHash, now],
  );
  return rows[0]?.user_id ?? null;
}

export async function deleteToken(q: Queryable, tokenHash: string): Promise<void> {
  await q.query('DELETE FROM auth_tokens WHERE token_hash = $1', [tokenHash]);
}

export async function recordLoginAttempt(q: Queryable, a: { username: string; ip: string; ok: boolean; at: Date }): Promise<void> {
  await q.query('INSERT INTO login_attempts (username, ip, ok, at) VALUES ($1,$2,$3,$4)', [a.username, a.ip, a.ok, a.at]);
}

/** Failed attempts for this username or from this address since `since`, after the last success. */
export async function recentFailures(q: Queryable, username: string, ip: string, since: Date): Promise<number> {
  const rows = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM login_attempts a
      WHERE NOT a.ok AND a.at > $3 AND (a.username = $1 OR a.ip = $2)
        AND a.at > coalesce((SELECT max(at) FROM login_attempts WHERE ok AND username = $1), '-infinity')`,
    [username, ip, since],
  );
  return rows[0].n;
}
