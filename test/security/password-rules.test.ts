import { describe, expect, it } from 'vitest';
import { servedFixture } from '../../src/server/testing.ts';
import { testBackends } from '../../src/store/testing.ts';

/**
 * Finding: `12345678` was accepted as a password. Every password a person chooses — an
 * account an administrator creates, `gengbao user add`, `gengbao init` — now passes the same
 * rules (src/accounts/password-policy.ts), through the one account service.
 */
describe.each(testBackends())('password rules on account creation, on $name', (backend) => {
  const fx = servedFixture(backend);

  const create = async (password: string, username = 'weak.chief') =>
    fx.s.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: await fx.s.login('admin') },
      payload: {
        username,
        displayName: '田长',
        password,
        role: 'village_chief',
        jurisdictionCode: '140525100201',
      },
    });

  it.each(['12345678', 'Password123!', 'gengbao-demo', 'weak.chief-2026X'])(
    'refuses %s, saying why in Chinese, and creates nothing',
    async (password) => {
      const r = await create(password);
      expect(r.statusCode).toBe(400);
      expect(r.json().error).toMatchObject({ code: 'bad_input', field: 'password' });
      expect(r.json().error.message).toMatch(/^密码不符合要求/);
      const users = await fx.s.app.inject({
        method: 'GET',
        url: '/api/users',
        headers: { cookie: await fx.s.login('admin') },
      });
      expect(users.json().items.map((u: { username: string }) => u.username)).not.toContain(
        'weak.chief',
      );
    },
  );

  it('accepts a password that passes the rules', async () => {
    expect((await create('Tian-zhang 7 Dongcun')).statusCode).toBe(201);
  });
});
