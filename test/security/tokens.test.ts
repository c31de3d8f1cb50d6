import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFixtureRegion, testServer, type TestServer } from '../../src/server/testing.ts';
import { testBackends } from '../../src/store/testing.ts';

/**
 * Finding: API tokens never expired, could not be listed or revoked, and a token could mint
 * more tokens (so a leaked one could never be cut off). Now every token expires (90 days by
 * default, GENGBAO_TOKEN_DAYS), its owner lists and revokes them, and only a browser session
 * issues them.
 */
describe.each(testBackends())('API tokens on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  let s: TestServer;
  let clock = new Date('2026-12-01T08:00:00Z');

  beforeAll(async () => {
    db = await backend.open();
    await seedFixtureRegion(db);
    s = await testServer(db, { now: () => clock });
  });
  afterAll(async () => {
    await s?.close();
    await db?.drop();
  });

  const req = (
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    auth: { cookie?: string; token?: string },
    payload?: object,
  ) =>
    s.app.inject({
      method,
      url,
      payload,
      headers: {
        ...(auth.cookie ? { cookie: auth.cookie } : {}),
        ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}),
      },
    });

  it('expire after 90 days by default, are listed without their secret, and revoke at once', async () => {
    const cookie = await s.login('zezhou');
    const made = await req('POST', '/api/tokens', { cookie }, { label: 'nightly export' });
    expect(made.statusCode).toBe(200);
    const { token, id, expiresAt } = made.json();
    expect(new Date(expiresAt).getTime() - clock.getTime()).toBe(90 * 86400_000);
    expect((await req('GET', '/api/me', { token })).statusCode).toBe(200);

    const list = await req('GET', '/api/tokens', { cookie });
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toEqual([
      {
        id,
        label: 'nightly export',
        createdAt: clock.toISOString(),
        lastUsedAt: clock.toISOString(),
        expiresAt,
      },
    ]);
    expect(list.body).not.toContain(token.slice(4));

    // Someone else cannot revoke it; its owner can, and it stops working at once (no cache grace).
    const other = await s.login('gaoping');
    expect((await req('DELETE', `/api/tokens/${id}`, { cookie: other })).statusCode).toBe(404);
    expect((await req('DELETE', `/api/tokens/${id}`, { cookie })).statusCode).toBe(200);
    expect((await req('GET', '/api/me', { token })).statusCode).toBe(401);
    expect((await req('GET', '/api/tokens', { cookie })).json().items).toEqual([]);
  });

  it('stop working when they expire, and cannot be asked to live longer than allowed', async () => {
    const cookie = await s.login('zezhou');
    expect(
      (await req('POST', '/api/tokens', { cookie }, { label: 'forever', days: 3650 })).statusCode,
    ).toBe(400);
    const { token } = (
      await req('POST', '/api/tokens', { cookie }, { label: 'a week', days: 7 })
    ).json();
    expect((await req('GET', '/api/me', { token })).statusCode).toBe(200);
    const start = clock;
    clock = new Date(start.getTime() + 7 * 86400_000 + 1000);
    try {
      expect((await req('GET', '/api/me', { token })).statusCode).toBe(401);
    } finally {
      clock = start;
    }
  });

  it('cannot create tokens: only a browser session can', async () => {
    const cookie = await s.login('township');
    const { token } = (await req('POST', '/api/tokens', { cookie }, { label: 'script' })).json();
    const minted = await req('POST', '/api/tokens', { token }, { label: 'child' });
    expect(minted.statusCode).toBe(403);
    expect(minted.json().error.code).toBe('forbidden');
    expect((await req('GET', '/api/tokens', { cookie })).json().items).toHaveLength(1);
    // A session token sent as a bearer is still a session.
    const session = cookie.split('=')[1];
    expect(
      (await req('POST', '/api/tokens', { token: session }, { label: 'from session' })).statusCode,
    ).toBe(200);
  });
});
