import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFixtureRegion, testServer, type TestServer } from '../../src/server/testing.ts';
import type { Db } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { openPglite } from '../../src/store/pglite.ts';
import { openPostgres } from '../../src/store/postgres.ts';
import { createTestDatabase, TEST_DATABASE_URL } from '../../src/store/testing.ts';

/**
 * Findings: responses carried no security headers (no CSP, the office app could be framed);
 * and during a database outage the API and /api/health answered 500. Now every response has
 * CSP (what the office app's MapLibre needs, nothing more), X-Frame-Options, nosniff and a
 * Referrer-Policy; an outage is db_unreachable (503) with a clear body, and health says degraded.
 */
describe('security headers', () => {
  let db: Db;
  let s: TestServer;
  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
    await seedFixtureRegion(db);
    s = await testServer(db);
  });
  afterAll(async () => {
    await s?.close();
    await db?.close();
  });

  it.each(['/api/health', '/api/no-such-route', '/', '/tip', '/field/'])(
    '%s carries CSP, frame, sniff and referrer headers',
    async (url) => {
      const r = await s.app.inject({ method: 'GET', url });
      const csp = String(r.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("worker-src 'self' blob:");
      expect(csp).toContain("img-src 'self' data: blob:");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      expect(r.headers['x-frame-options']).toBe('DENY');
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['referrer-policy']).toBe('same-origin');
    },
  );

  it('an inline script of a page served by the server is allowed by its hash only', async () => {
    const r = await s.app.inject({ method: 'GET', url: '/tip' });
    if (!/<script(?![^>]*src=)/.test(r.body)) return; // the page no longer has inline scripts
    expect(String(r.headers['content-security-policy'])).toMatch(
      /script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/,
    );
  });
});

/** A TCP relay to PostgreSQL that can be cut, as a server crash or a network outage would. */
async function relay(target: URL): Promise<{ port: number; cut(): Promise<void> }> {
  const [host, port] = [target.hostname, Number(target.port || 5432)];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(port, host);
    for (const x of [client, upstream]) {
      sockets.add(x);
      x.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    port: (server.address() as { port: number }).port,
    cut: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        for (const x of sockets) x.destroy();
      }),
  };
}

const outages: {
  name: string;
  open(): Promise<{ db: Db; cut(): Promise<void>; done(): Promise<void> }>;
}[] = [
  {
    name: 'pglite',
    async open() {
      const db = await openPglite();
      await migrate(db);
      return { db, cut: () => db.close(), done: async () => {} };
    },
  },
];
const serverUrl = TEST_DATABASE_URL;
if (serverUrl) {
  outages.push({
    name: 'postgres',
    async open() {
      const { url, drop } = await createTestDatabase(serverUrl);
      const u = new URL(url);
      const r = await relay(u);
      u.host = `127.0.0.1:${r.port}`;
      const db = await openPostgres(u.toString(), { max: 2 });
      await migrate(db);
      return { db, cut: r.cut, done: drop };
    },
  });
}

describe.each(outages)('a database outage on $name', (backend) => {
  let env: Awaited<ReturnType<typeof backend.open>>;
  let s: TestServer;
  let cookie: string;
  beforeAll(async () => {
    env = await backend.open();
    await seedFixtureRegion(env.db);
    s = await testServer(env.db);
    cookie = await s.login('admin');
    await env.cut();
  });
  afterAll(async () => {
    await s?.close().catch(() => {});
    await env?.db.close().catch(() => {});
    await env?.done();
  });

  it('health answers 503 degraded, even with a session cookie', async () => {
    for (const headers of [{}, { cookie }]) {
      const r = await s.app.inject({ method: 'GET', url: '/api/health', headers });
      expect(r.statusCode).toBe(503);
      expect(r.json()).toMatchObject({ status: 'degraded', database: { reachable: false } });
    }
  });

  it('the API answers 503 db_unreachable with a clear body', async () => {
    const cases = [
      {
        method: 'GET' as const,
        url: '/api/me',
        headers: { cookie: cookie.replace(/=.*/, '=another-session') },
      },
      { method: 'GET' as const, url: '/api/public/tips/ABCDEFGH' },
      {
        method: 'POST' as const,
        url: '/api/auth/login',
        payload: { username: 'admin', password: 'x' },
      },
    ];
    for (const c of cases) {
      const r = await s.app.inject(c);
      expect(r.statusCode, c.url).toBe(503);
      expect(r.json().error.code).toBe('db_unreachable');
      expect(r.json().error.message).toMatch(/unreachable/);
      expect(r.headers['retry-after']).toBe('30');
    }
  });
});
