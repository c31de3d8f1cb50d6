import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../accounts/password.ts';
import { isGengbaoError } from '../errors.ts';
import { seedFixtureRegion } from '../server/testing.ts';
import { findUserForLogin } from '../store/users.ts';
import { Scope } from '../store/scope.ts';
import { testBackends } from '../store/testing.ts';
import { buildServices, type Services } from './container.ts';

async function refusal(
  p: Promise<unknown>,
): Promise<{ code: string; field?: string; message: string }> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!isGengbaoError(e)) throw new Error(`expected a GengbaoError, got ${String(e)}`);
  return { code: e.code, field: e.field, message: e.message };
}

describe.each(testBackends())('AccountService on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  let services: Services;
  const county = new Scope('140525');
  const account = (username: string, password: string, jurisdictionCode = '140525100') => ({
    username,
    displayName: username,
    role: 'township_chief' as const,
    jurisdictionCode,
    password,
  });
  const exists = async (username: string) =>
    (await db.query('SELECT 1 FROM users WHERE username = $1', [username])).length === 1;

  beforeAll(async () => {
    db = await backend.open();
    await seedFixtureRegion(db);
    services = buildServices({ db, dataDir: '/nonexistent-gengbao-test' });
  });
  afterAll(async () => {
    await services?.close();
    await db?.drop();
  });

  it('refuses passwords against the rules, naming the field, and stores nothing', async () => {
    const cases: [string, string, RegExp][] = [
      ['short1', 'Ab1!short', /at least 10 characters/],
      ['oneclass', 'alllowercaseletters', /at least three/],
      ['common1', 'Password123!', /common password/],
      ['lihua', 'xx-Lihua-2026!', /must not contain the username/],
    ];
    for (const [username, password, words] of cases) {
      const r = await refusal(services.accounts.create(county, account(username, password)));
      expect(r, username).toMatchObject({ code: 'bad_input', field: 'password' });
      expect(r.message, username).toMatch(words);
      expect(await exists(username), username).toBe(false);
    }
  });

  it('stores a good password only as its argon2id hash', async () => {
    const user = await services.accounts.create(county, account('wangwei', 'Qz7#tundra-lamp'));
    expect(user).toMatchObject({
      username: 'wangwei',
      role: 'township_chief',
      jurisdictionCode: '140525100',
    });
    const login = (await findUserForLogin(db, 'wangwei'))!;
    expect(login.passwordHash).toMatch(/^\$argon2id\$/);
    expect(login.passwordHash).not.toContain('Qz7#tundra-lamp');
    expect(await verifyPassword(login.passwordHash, 'Qz7#tundra-lamp')).toBe(true);
  });

  it("refuses an account outside the creator's jurisdiction", async () => {
    const r = await refusal(
      services.accounts.create(county, account('outsider', 'Qz7#tundra-lamp', '140581')),
    );
    expect(r.code).toBe('forbidden_jurisdiction');
    expect(await exists('outsider')).toBe(false);
  });
});
