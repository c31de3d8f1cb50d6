import { createHash, randomBytes } from 'node:crypto';
import { verifyPassword } from '../accounts/password.ts';
import { GengbaoError } from '../errors.ts';
import {
  apiTokensOf,
  deleteToken,
  insertToken,
  liveToken,
  loginFailures,
  markLoginSucceeded,
  recordLoginAttempt,
  revokeApiToken,
  type LoginFailures,
  type TokenKind,
} from '../store/auth-tokens.ts';
import type { Db } from '../store/db.ts';
import { lockKey } from '../store/system.ts';
import {
  findUserForLogin,
  getUserById,
  principalOf,
  type Principal,
  type User,
} from '../store/users.ts';

export interface AuthPolicy {
  sessionHours: number;
  /** Wrong passwords for one username from one address within the window. */
  maxFailures: number;
  windowMinutes: number;
  /** Days an API token lives unless its creator asks for fewer (default 90). */
  tokenDays?: number;
}

/**
 * The login limits, all counted over the window. None lets an attacker keep the owner out:
 * - one username from one address: `maxFailures` wrong passwords, then that pair waits;
 * - one address, any usernames: ADDRESS_FACTOR × `maxFailures` (password spraying);
 * - one username from everywhere: past USER_FACTOR × `maxFailures` the account is under attack,
 *   and each address may then try only while it has fewer than UNDER_ATTACK_TRIES failures
 *   itself. The owner, from an address with no recent failures, still logs in; an attacker
 *   with many addresses gets a try or two per address per window instead of `maxFailures`.
 */
const ADDRESS_FACTOR = 4;
const USER_FACTOR = 2;
const UNDER_ATTACK_TRIES = 2;

/** Which limit refuses this attempt, or null when the password may be checked. */
export function loginRefusal(
  f: LoginFailures,
  maxFailures: number,
): 'pair' | 'address' | 'account' | null {
  if (f.pair >= maxFailures) return 'pair';
  if (f.address >= ADDRESS_FACTOR * maxFailures) return 'address';
  if (f.user >= USER_FACTOR * maxFailures && f.pair >= UNDER_ATTACK_TRIES) return 'account';
  return null;
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
const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$qUPavegZ5NcLoiK6Bt4qEg$0/zLRJk0XYM+IA5atDvdn+dQKjy9vFGPbchraMHgKlo';

/**
 * How long a resolved session stays in memory. Every request (each map tile) needs its
 * principal; resolving it costs two database round trips, one a write, which measured as the
 * whole p99 of the tile benchmark (BENCHMARKS.md). A disabled account or a revoked token on
 * another server therefore takes effect within this many milliseconds; logout here is at once.
 */
const PRINCIPAL_TTL_MS = 5000;

/** Live API tokens one person may hold: a few scripts each, not a token per request. */
export const MAX_LIVE_API_TOKENS = 20;

/** A resolved token: who, and whether by a browser session or an API token. */
export interface Credential {
  principal: Principal;
  kind: TokenKind;
  tokenId: number;
  expiresAt: number;
}

const REFUSALS: Record<'pair' | 'address' | 'account', (minutes: number) => string> = {
  pair: (m) =>
    `登录失败次数过多，请 ${m} 分钟后再试 · too many failed logins for this account from your address; try again in ${m} minutes`,
  address: (m) =>
    `此地址登录失败次数过多，请 ${m} 分钟后再试 · too many failed logins from your address; try again in ${m} minutes`,
  account: (m) =>
    `此账号正遭受密码猜测，您所在地址已多次失败，请 ${m} 分钟后再试 · this account is under a password-guessing attack and your address has failed before; try again in ${m} minutes`,
};

export class AuthService {
  private readonly cache = new Map<string, { credential: Credential; until: number }>();

  constructor(
    private readonly db: Db,
    private readonly policy: AuthPolicy,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Password login within the limits above. The attempt is counted and reserved as a failure
   * under a lock on its username and address before the password is checked, so N parallel
   * tries see each other and at most the limit of them are evaluated; a right password then
   * turns its reservation into a success. Every attempt is recorded, refused ones marked so.
   */
  async login(
    username: string,
    password: string,
    ip: string,
  ): Promise<{ token: string; user: User; expiresAt: Date }> {
    const now = this.now();
    const since = new Date(now.getTime() - this.policy.windowMinutes * 60_000);
    const reserved = await this.db.transaction(async (tx) => {
      // Always username before address, so two logins never wait on each other in a cycle.
      await lockKey(tx, `login-user:${username}`);
      await lockKey(tx, `login-ip:${ip}`);
      const refusal = loginRefusal(
        await loginFailures(tx, username, ip, since),
        this.policy.maxFailures,
      );
      const id = await recordLoginAttempt(tx, {
        username,
        ip,
        ok: false,
        at: now,
        refused: refusal !== null,
      });
      return { id, refusal };
    });
    if (reserved.refusal) {
      throw new GengbaoError(
        'rate_limited',
        REFUSALS[reserved.refusal](this.policy.windowMinutes),
        { field: 'username' },
      );
    }
    const user = await findUserForLogin(this.db, username);
    const ok = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, password);
    if (!user || !ok || user.disabled)
      throw new GengbaoError('unauthenticated', 'wrong username or password', {
        field: 'password',
      });
    await markLoginSucceeded(this.db, reserved.id);
    const token = newToken('gbs_');
    const expiresAt = new Date(now.getTime() + this.policy.sessionHours * 3600_000);
    await insertToken(this.db, {
      tokenHash: hashToken(token),
      userId: user.id,
      kind: 'session',
      expiresAt,
      createdAt: now,
    });
    const { passwordHash: _omit, ...safe } = user;
    return { token, user: safe, expiresAt };
  }

  /** Days an API token lives at most (and by default). */
  get tokenDays(): number {
    return this.policy.tokenDays ?? 90;
  }

  /**
   * An API token for scripts: shown once, valid until revoked or it expires (`days`, at most
   * and by default the policy's tokenDays).
   */
  async issueApiToken(
    userId: number,
    label: string,
    days = this.tokenDays,
  ): Promise<{ token: string; id: number; expiresAt: Date }> {
    if (days > this.tokenDays)
      throw new GengbaoError('bad_input', `an API token lives at most ${this.tokenDays} days`, {
        field: 'days',
      });
    const now = this.now();
    // The token list (GET /api/tokens) is one reply, so how many a person may hold is bounded.
    if ((await apiTokensOf(this.db, userId, now)).length >= MAX_LIVE_API_TOKENS)
      throw new GengbaoError(
        'conflict',
        `已有 ${MAX_LIVE_API_TOKENS} 个有效 API 令牌，请先撤销不再使用的令牌 / you already hold ${MAX_LIVE_API_TOKENS} live API tokens: revoke one you no longer use first`,
        { field: 'label' },
      );
    const token = newToken('gbt_');
    const expiresAt = new Date(now.getTime() + days * 86400_000);
    const id = await insertToken(this.db, {
      tokenHash: hashToken(token),
      userId,
      kind: 'api',
      label,
      expiresAt,
      createdAt: now,
    });
    return { token, id, expiresAt };
  }

  /** A user's live API tokens: id, label and dates, never the secret. */
  async apiTokens(userId: number) {
    return apiTokensOf(this.db, userId, this.now());
  }

  /** Revokes one of the user's own API tokens, at once on this server. */
  async revokeApiToken(userId: number, id: number): Promise<void> {
    const hash = await revokeApiToken(this.db, userId, id);
    if (!hash) throw new GengbaoError('not_found', `you have no API token ${id}`, { field: 'id' });
    this.cache.delete(hash);
  }

  async logout(token: string): Promise<void> {
    const h = hashToken(token);
    this.cache.delete(h);
    await deleteToken(this.db, h);
  }

  /** The principal behind a session cookie or bearer token, or null. */
  async resolve(token: string): Promise<Principal | null> {
    return (await this.resolveCredential(token))?.principal ?? null;
  }

  /** The principal behind a token with the token's kind and id, or null. */
  async resolveCredential(token: string): Promise<Credential | null> {
    const h = hashToken(token);
    const now = this.now();
    const hit = this.cache.get(h);
    if (hit && hit.until > now.getTime() && hit.credential.expiresAt > now.getTime())
      return hit.credential;
    this.cache.delete(h);
    const live = await liveToken(this.db, h, now);
    if (live === null) return null;
    const user = await getUserById(this.db, live.userId);
    if (!user || user.disabled) return null;
    const credential = {
      principal: principalOf(user),
      kind: live.kind,
      tokenId: live.id,
      expiresAt: live.expiresAt.getTime(),
    };
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(h, { credential, until: now.getTime() + PRINCIPAL_TTL_MS });
    return credential;
  }
}
