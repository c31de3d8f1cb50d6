import { createHash, randomBytes } from 'node:crypto';
import { verifyPassword } from '../accounts/password.ts';
import { GengbaoError } from '../errors.ts';
import { deleteToken, insertToken, recentFailures, recordLoginAttempt, userIdForToken } from '../store/auth-tokens.ts';
import type { Db } from '../store/db.ts';
import { findUserForLogin, getUserById, principalOf, type Principal, type User } from '../store/users.ts';

export interface AuthPolicy {
  sessionHours: number;
  maxFailures: number;
  windowMinutes: number;
}

/** Tokens are 32 random bytes; only their SHA-256 is stored, so a database leak yields no sessions. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function newToken(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

// A fixed argon2 hash to verify against when the user does not exist, so response time does
// not reveal which usernames are real.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$qUPavegZ5NcLoiK6Bt4qEg$0/zLRJk0XYM+IA5atDvdn+dQKjy9vFGPbchraMHgKlo';

/**
 * How long a resolved session stays in memory. Every request (each map tile) needs its
 * principal; resolving it costs two database round trips, one a write, which measured as the
 * whole p99 of the tile benchmark (BENCHMARKS.md). A disabled account or a revoked token on
 * another server therefore takes effect within this many milliseconds; logout here is at once.
 */
const PRINCIPAL_TTL_MS = 5000;

export class AuthService {
  private readonly cache = new Map<string, { principal: Principal; until: number }>();

  constructor(
    private readonly db: Db,
    private readonly policy: AuthPolicy,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Password login. After `maxFailures` failures for a username or from an address within
   * the window, further attempts are refused with `rate_limited` (even with the right
   * password) until the window passes. Every attempt is recorded.
   */
  async login(username: string, password: string, ip: string): Promise<{ token: string; user: User; expiresAt: Date }> {
    const now = this.now();
    const since = new Date(now.getTime() - this.policy.windowMinutes * 60_000);
    const failures = await recentFailures(this.db, username, ip, since);
    if (failures >= this.policy.maxFailures) {
      await recordLoginAttempt(this.db, { username, ip, ok: false, at: now });
      throw new GengbaoError('rate_limited', `too many failed logins; try again in ${this.policy.windowMinutes} minutes`, { field: 'username' });
    }
    const user = await findUserForLogin(this.db, username);
    const ok = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, password);
    await recordLoginAttempt(this.db, { username, ip, ok: ok && !!user && !user.disabled, at: now });
    if (!user || !ok || user.disabled) throw new GengbaoError('unauthenticated', 'wrong username or password', { field: 'password' });
    const token = newToken('gbs_');
    const expiresAt = new Date(now.getTime() + this.policy.sessionHours * 3600_000);
    await insertToken(this.db, { tokenHash: hashToken(token), userId: user.id, kind: 'session', expiresAt });
    const { passwordHash: _omit, ...safe } = user;
    return { token, user: safe, expiresAt };
  }

  /** An API token for scripts: shown once, valid until revoked or `expiresAt`. */
  async issueApiToken(userId: number, label: string, expiresAt: Date | null = null): Promise<string> {
    const token = newToken('gbt_');
    await insertToken(this.db, { tokenHash: hashToken(token), userId, kind: 'api', label, expiresAt });
    return token;
  }

  async logout(token: string): Promise<void> {
    const h = hashToken(token);
    this.cache.delete(h);
    await deleteToken(this.db, h);
  }

  /** The principal behind a session cookie or bearer token, or null. */
  async resolve(token: string): Promise<Principal | null> {
    const h = hashToken(token);
    const now = this.now();
    const hit = this.cache.get(h);
    if (hit && hit.until > now.getTime()) return hit.principal;
    this.cache.delete(h);
    const userId = await userIdForToken(this.db, h, now);
    if (userId === null) return null;
    const user = await getUserById(this.db, userId);
    if (!user || user.disabled) return null;
    const principal = principalOf(user);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(h, { principal, until: now.getTime() + PRINCIPAL_TTL_MS });
    return principal;
  }
}
