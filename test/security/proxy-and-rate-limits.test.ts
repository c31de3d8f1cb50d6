import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { servedFixture } from '../../src/server/testing.ts';
import { loadEnv } from '../../src/config/env.ts';
import { testBackends } from '../../src/store/testing.ts';

/**
 * Finding: X-Forwarded-For was believed from anyone (trustProxy: true), so one client naming a
 * new address per request passed the tip flood limit and the per-address login limit, and
 * forged the address in login records. Now the header counts only from GENGBAO_TRUST_PROXY.
 */
const tip = { lon: 112.05, lat: 35.05, description: '农田里在建房 a house going up on farmland' };

describe.each(testBackends())('client addresses and rate limits on $name', (backend) => {
  const fx = servedFixture(backend);

  it('without a configured proxy, ten tips under ten forged X-Forwarded-For get no more than the per-client limit', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await fx.s.app.inject({
        method: 'POST',
        url: '/api/public/tips',
        payload: tip,
        remoteAddress: '203.0.113.7',
        headers: { 'x-forwarded-for': `198.51.100.${i + 1}` },
      });
      codes.push(r.statusCode);
    }
    expect(codes.filter((c) => c === 200)).toHaveLength(5); // field config tipsPerHourPerIp
    expect(codes.filter((c) => c === 429)).toHaveLength(5);
  });

  it('without a configured proxy, the login limit and the login record use the real address', async () => {
    for (let i = 0; i < 6; i++) {
      await fx.s.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'gaoping', password: `wrong-${i}` },
        remoteAddress: '203.0.113.8',
        headers: { 'x-forwarded-for': `198.51.100.${i + 1}` },
      });
    }
    const right = await fx.s.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'gaoping', password: 'fixture-password' },
      remoteAddress: '203.0.113.8',
      headers: { 'x-forwarded-for': '198.51.100.99' },
    });
    expect(right.statusCode).toBe(429);
    const ips = await fx.db.query<{ ip: string }>(
      `SELECT DISTINCT ip FROM login_attempts WHERE username = 'gaoping'`,
    );
    expect(ips.map((r) => r.ip)).toEqual(['203.0.113.8']);
  });

  it('with the proxy configured, its X-Forwarded-For is honoured (and only its)', async () => {
    const env = loadEnv({
      GENGBAO_LOG_LEVEL: 'silent',
      GENGBAO_TRUST_PROXY: '10.0.0.1, 192.168.7.0/24',
    });
    expect(env.GENGBAO_TRUST_PROXY).toEqual(['10.0.0.1', '192.168.7.0/24']);
    const app = await buildApp({ services: fx.s.services, env });
    try {
      // Ten clients behind the proxy, one tip each: all accepted, each counted as its own client.
      for (let i = 0; i < 10; i++) {
        const r = await app.inject({
          method: 'POST',
          url: '/api/public/tips',
          payload: tip,
          remoteAddress: '192.168.7.20',
          headers: { 'x-forwarded-for': `198.51.100.${i + 1}` },
        });
        expect(r.statusCode).toBe(200);
      }
      await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'zezhou', password: 'wrong' },
        remoteAddress: '10.0.0.1',
        headers: { 'x-forwarded-for': '198.51.100.200' },
      });
      // A client that is not the proxy cannot name an address.
      await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'zezhou', password: 'wrong' },
        remoteAddress: '203.0.113.9',
        headers: { 'x-forwarded-for': '198.51.100.201' },
      });
      const ips = await fx.db.query<{ ip: string }>(
        `SELECT ip FROM login_attempts WHERE username = 'zezhou' ORDER BY id`,
      );
      expect(ips.map((r) => r.ip)).toEqual(['198.51.100.200', '203.0.113.9']);
    } finally {
      await app.close();
    }
  });

  it('refuses a GENGBAO_TRUST_PROXY that is not a list of addresses', () => {
    expect(() => loadEnv({ GENGBAO_TRUST_PROXY: 'true' })).toThrow(/GENGBAO_TRUST_PROXY/);
    expect(() => loadEnv({ GENGBAO_TRUST_PROXY: '10.0.0.0/33' })).toThrow(/GENGBAO_TRUST_PROXY/);
  });
});
