import { describe, expect, it } from 'vitest';
import { servedFixture } from '../../src/server/testing.ts';
import { testBackends } from '../../src/store/testing.ts';

/**
 * Findings: five wrong passwords locked any account (admin too) for 15 minutes, the right
 * password included, so anyone could keep the owner out; and 40 parallel wrong logins got 9
 * passwords checked instead of 5. Now the limits are per (username, address), per address and,
 * for an account under attack, per address that already failed; and attempts are reserved
 * atomically before the password is checked.
 */
describe.each(testBackends())('login limits on $name', (backend) => {
  const fx = servedFixture(backend);

  const login = (username: string, password: string, remoteAddress: string) =>
    fx.s.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password },
      remoteAddress,
    });

  it('five wrong passwords from an attacker do not lock the owner out of admin', async () => {
    for (let i = 0; i < 5; i++)
      expect((await login('admin', `guess-${i}`, '203.0.113.1')).statusCode).toBe(401);
    const attacker = await login('admin', 'fixture-password', '203.0.113.1');
    expect(attacker.statusCode).toBe(429); // the attacker's own pair waits, even with the right password
    expect(attacker.json().error.message).toMatch(/分钟.*minutes/);
    expect((await login('admin', 'fixture-password', '198.51.100.1')).statusCode).toBe(200);
  });

  it('an attack from many addresses gets two tries per address, and the owner still logs in', async () => {
    const evaluated: number[] = [];
    for (let a = 1; a <= 8; a++) {
      for (let i = 0; i < 5; i++)
        evaluated.push(
          (await login('province', `guess-${a}-${i}`, `203.0.113.${100 + a}`)).statusCode,
        );
    }
    // 10 (USER_FACTOR × 5) on the first two addresses, then two per address: 10 + 6 × 2.
    expect(evaluated.filter((c) => c === 401)).toHaveLength(22);
    expect(evaluated.filter((c) => c === 429)).toHaveLength(18);
    expect((await login('province', 'fixture-password', '198.51.100.2')).statusCode).toBe(200);
  });

  it('forty parallel wrong logins have at most five passwords checked', async () => {
    const codes = (
      await Promise.all(
        Array.from({ length: 40 }, (_, i) => login('reviewer', `parallel-${i}`, '203.0.113.50')),
      )
    ).map((r) => r.statusCode);
    expect(codes.filter((c) => c === 401)).toHaveLength(5);
    expect(codes.filter((c) => c === 429)).toHaveLength(35);
    const [{ checked, refused }] = await fx.db.query<{ checked: number; refused: number }>(
      `SELECT count(*) FILTER (WHERE NOT refused)::int AS checked, count(*) FILTER (WHERE refused)::int AS refused
         FROM login_attempts WHERE username = 'reviewer' AND ip = '203.0.113.50'`,
    );
    expect({ checked, refused }).toEqual({ checked: 5, refused: 35 });
  });

  it('one address spraying passwords over many usernames is stopped at twenty', async () => {
    const names = ['zezhou', 'gaoping', 'township', 'village', 'nobody-1', 'nobody-2'];
    const codes: number[] = [];
    for (let i = 0; i < 30; i++)
      codes.push((await login(names[i % names.length], `spray-${i}`, '203.0.113.60')).statusCode);
    expect(codes.filter((c) => c === 401)).toHaveLength(20);
    expect(codes.slice(20).every((c) => c === 429)).toBe(true);
    // The accounts themselves are not locked: their owners elsewhere log in.
    expect((await login('zezhou', 'fixture-password', '198.51.100.3')).statusCode).toBe(200);
  });
});
