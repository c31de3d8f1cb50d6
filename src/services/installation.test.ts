import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkNewPassword } from '../accounts/password-policy.ts';
import { verifyPassword } from '../accounts/password.ts';
import { isGengbaoError } from '../errors.ts';
import { findUserForLogin } from '../store/users.ts';
import { testBackends } from '../store/testing.ts';
import { buildServices, type Services } from './container.ts';
import { generatePassword, initInstallation } from './installation.ts';

describe('generatePassword', () => {
  it('draws passwords that pass the password rules, each different', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const p = generatePassword();
      expect(p).toHaveLength(16);
      expect(() => checkNewPassword(p)).not.toThrow();
      expect(p).not.toMatch(/[0O1lI]/);
      seen.add(p);
    }
    expect(seen.size).toBe(50);
  });
});

describe.each(testBackends())('gengbao init on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  let services: Services;
  const first = {
    jurisdictionCode: '140500',
    jurisdictionName: '晋城市',
    level: 'city' as const,
    username: 'jcadmin',
  };
  const users = async () =>
    Number((await db.query<{ n: string | number }>('SELECT count(*) AS n FROM users'))[0].n);

  beforeAll(async () => {
    db = await backend.open();
    // Built like `gengbao init`'s process: the services over an empty database.
    services = buildServices({ db, dataDir: '/nonexistent-gengbao-test' });
  });
  afterAll(async () => {
    await services?.close();
    await db?.drop();
  });

  it('refuses a weak given password before writing anything', async () => {
    await expect(
      initInstallation(db, { ...first, password: 'jcadmin-2026-X' }),
    ).rejects.toMatchObject({ code: 'bad_input', field: 'password' });
    expect(await users()).toBe(0);
    expect((await db.query('SELECT 1 FROM jurisdictions')).length).toBe(0);
  });

  it('creates the top unit and its administrator with a generated password, shown once', async () => {
    const r = await initInstallation(db, first);
    expect(r).toMatchObject({ username: 'jcadmin', generated: true });
    const admin = (await findUserForLogin(db, 'jcadmin'))!;
    expect(admin).toMatchObject({ role: 'admin', jurisdictionCode: '140500' });
    expect(await verifyPassword(admin.passwordHash, r.password)).toBe(true);
    const unit = await db.query<{ level: string; parent_code: string | null }>(
      `SELECT level, parent_code FROM jurisdictions WHERE code = '140500'`,
    );
    expect(unit).toEqual([{ level: 'city', parent_code: null }]);
  });

  it('refuses a second time with conflict, adding no account', async () => {
    const e = await initInstallation(db, {
      ...first,
      username: 'second',
      password: 'Qz7#tundra-lamp',
    }).catch((x: unknown) => x);
    expect(isGengbaoError(e) && e.code).toBe('conflict');
    expect((e as Error).message).toMatch(/Already initialised/);
    expect(await users()).toBe(1);
    expect(await findUserForLogin(db, 'second')).toBeNull();
  });
});
