import { afterAll, beforeAll } from 'vitest';
import type { TileFiles } from '../store/tile-files.ts';
import type { FastifyInstance } from 'fastify';
import { hashPassword } from '../accounts/password.ts';
import { loadEnv } from '../config/env.ts';
import { EmbeddedRunner } from '../jobs/embedded-runner.ts';
import { buildServices, type ServiceDeps, type Services } from '../services/container.ts';
import { ThreadPool } from '../threads/pool.ts';
import type { Db } from '../store/db.ts';
import { insertJurisdictions } from '../store/jurisdictions.ts';
import { insertPolygons } from '../store/polygons.ts';
import { Scope } from '../store/scope.ts';
import { FIXTURE_JURISDICTIONS, square, type TestBackend } from '../store/testing.ts';
import { insertUser, type Role } from '../store/users.ts';
import { buildApp } from './app.ts';

export { square };

export const FIXTURE_PASSWORD = 'fixture-password';

/** Accounts of the small test region, by username. */
export const FIXTURE_USERS: Record<string, { role: Role; code: string }> = {
  admin: { role: 'admin', code: '140000' },
  province: { role: 'province_monitor', code: '140000' },
  reviewer: { role: 'city_reviewer', code: '140500' },
  zezhou: { role: 'county_officer', code: '140525' },
  gaoping: { role: 'county_officer', code: '140581' },
  township: { role: 'township_chief', code: '140525100' },
  village: { role: 'village_chief', code: '140525100200' },
};

/**
 * A small region for route tests: two counties, one township with two villages, a 图斑 in
 * each leaf, and one account per role. Real rows in a real database, nothing mocked.
 */
export async function seedFixtureRegion(db: Db): Promise<void> {
  const system = Scope.system();
  await insertJurisdictions(db, system, FIXTURE_JURISDICTIONS);
  await insertPolygons(db, system, [
    {
      code: 'P-NANCUN',
      source: 'detection',
      period: '2026-11',
      jurisdictionCode: '140525100200',
      geometry: square(112.01, 35.01, 0.002),
    },
    {
      code: 'P-BEICUN',
      source: 'detection',
      period: '2026-11',
      jurisdictionCode: '140525100201',
      geometry: square(112.21, 35.21, 0.002),
    },
    {
      code: 'P-GAOPING',
      source: 'batch',
      period: '2026-11',
      jurisdictionCode: '140581',
      geometry: square(113.5, 35.5, 0.002),
    },
  ]);
  const passwordHash = await hashPassword(FIXTURE_PASSWORD);
  for (const [username, u] of Object.entries(FIXTURE_USERS)) {
    await insertUser(db, system, {
      username,
      displayName: username,
      passwordHash,
      role: u.role,
      jurisdictionCode: u.code,
    });
  }
}

export interface TestServer {
  app: FastifyInstance;
  services: Services;
  jobs: EmbeddedRunner;
  /** Logs in and returns the session cookie header value. */
  login(username: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

export async function testServer(
  db: Db,
  opts: {
    now?: () => Date;
    dataDir?: string;
    imageryAllow?: string;
    deps?: Partial<ServiceDeps>;
    tileFiles?: TileFiles;
  } = {},
): Promise<TestServer> {
  // Built through the composition root like `gengbao start`, with the test's clock and folder.
  const services = buildServices({
    db,
    now: opts.now,
    dataDir: opts.dataDir ?? loadEnv().GENGBAO_DATA_DIR,
    authPolicy: { sessionHours: 12, maxFailures: 5, windowMinutes: 15 },
    imageryAllow: opts.imageryAllow,
    ...opts.deps,
  });
  const jobs = await EmbeddedRunner.start(db, services, { threads: new ThreadPool(1) });
  services.jobs.connect(jobs);
  const app = await buildApp({
    services,
    env: { GENGBAO_LOG_LEVEL: 'silent' },
    tileFiles: opts.tileFiles,
  });
  return {
    app,
    services,
    jobs,
    async login(username, password = FIXTURE_PASSWORD) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password },
      });
      if (res.statusCode !== 200)
        throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
      const c = res.cookies.find((x) => x.name === 'gengbao_session')!;
      return `${c.name}=${c.value}`;
    },
    async close() {
      await app.close();
      await jobs.stop();
      await services.close();
    },
  };
}

/** The fixture region on one back-end and the test server over it, for one describe block. */
export interface ServedFixture {
  readonly db: Awaited<ReturnType<TestBackend['open']>>;
  readonly s: TestServer;
}

/**
 * Opens `backend`, seeds the fixture region and starts a test server in a beforeAll, and
 * closes both in an afterAll (registered first, so a test's own beforeAll sees them ready).
 * Read `fx.db` and `fx.s` inside hooks and tests.
 */
export function servedFixture(
  backend: TestBackend,
  opts?: Parameters<typeof testServer>[1],
): ServedFixture {
  let db: ServedFixture['db'] | undefined;
  let s: TestServer | undefined;
  beforeAll(async () => {
    db = await backend.open();
    await seedFixtureRegion(db);
    s = await testServer(db, opts);
  });
  afterAll(async () => {
    await s?.close();
    await db?.drop();
  });
  return {
    get db() {
      if (!db) throw new Error('servedFixture: read fx.db inside a hook or test');
      return db;
    },
    get s() {
      if (!s) throw new Error('servedFixture: read fx.s inside a hook or test');
      return s;
    },
  };
}

/** Replies of {@link apiCalls}: the status, the body (parsed when JSON) and the headers. */
export interface ApiReply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read replies freely
  body: any;
  headers: Record<string, unknown>;
}

/**
 * Calls the API as logged-in users, by username, with the session cookies held in `cookies`
 * (the test fills it, and refreshes it when its clock moves). `server` is read at call time, so
 * this can be set up before the test's beforeAll starts the server.
 */
export function apiCalls(server: () => TestServer, cookies: Record<string, string>) {
  const inject = (
    user: string,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    payload?: unknown,
  ) =>
    server().app.inject({
      method,
      url,
      headers: { cookie: cookies[user] },
      payload: payload as object,
    });
  const reply = (r: Awaited<ReturnType<typeof inject>>): ApiReply => ({
    status: r.statusCode,
    body: String(r.headers['content-type'] ?? '').includes('json') ? r.json() : r.rawPayload,
    headers: r.headers,
  });
  return {
    inject,
    get: async (user: string, url: string) => reply(await inject(user, 'GET', url)),
    post: async (user: string, url: string, payload: unknown) =>
      reply(await inject(user, 'POST', url, payload)),
    /** Takes `action` on 图斑 `id` as `user` at its current version (read as `reader`); throws unless 200. */
    async act(
      user: string,
      id: number,
      action: string,
      input: Record<string, unknown>,
      reader = 'province',
    ): Promise<void> {
      const version = (await inject(reader, 'GET', `/api/polygons/${id}/actions`)).json().state
        .version;
      const r = await inject(user, 'POST', `/api/polygons/${id}/transitions`, {
        action,
        input: { version, ...input },
      });
      if (r.statusCode !== 200)
        throw new Error(`${user} ${action} on ${id}: ${r.statusCode} ${r.body}`);
    },
  };
}
