import { describe, expect, it } from 'vitest';
import { shippedMigrations } from '../store/migrate.ts';
import { TEST_DATABASE_URL, testBackends } from '../store/testing.ts';
import { servedFixture } from './testing.ts';

if (!TEST_DATABASE_URL)
  console.warn('server tests: TEST_DATABASE_URL not set, the PostgreSQL-server half is not run');

describe.each(testBackends())('HTTP API on $name', (backend) => {
  const fx = servedFixture(backend);

  const get = async (url: string, cookie?: string) => {
    const res = await fx.s.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
    return { status: res.statusCode, body: res.json() };
  };

  it('reports health with database reachability', async () => {
    const { status, body } = await get('/api/health');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: 'ok',
      database: {
        kind: backend.name,
        reachable: true,
        schemaVersion: shippedMigrations().at(-1)!.version,
      },
      jobs: { runner: 'embedded' },
    });
  });

  it('publishes an OpenAPI 3 document generated from the route schemas', async () => {
    const { body } = await get('/api/openapi.json');
    expect(body.openapi).toMatch(/^3\./);
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/api/health',
        '/api/auth/login',
        '/api/polygons',
        '/api/jurisdictions',
        '/api/jobs',
      ]),
    );
    expect(
      body.paths['/api/polygons'].get.parameters.map((p: { name: string }) => p.name),
    ).toContain('bbox');
  });

  it('refuses anonymous reads and wrong passwords with coded errors', async () => {
    expect(await get('/api/polygons')).toMatchObject({
      status: 401,
      body: { error: { code: 'unauthenticated' } },
    });
    const res = await fx.s.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'province', password: 'nope-nope' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toMatchObject({ code: 'unauthenticated', field: 'password' });
  });

  it('sets an HTTP-only session cookie on login', async () => {
    const res = await fx.s.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'reviewer', password: 'fixture-password' },
    });
    expect(res.statusCode).toBe(200);
    const c = res.cookies.find((x) => x.name === 'gengbao_session')!;
    expect(c.httpOnly).toBe(true);
    expect(c.sameSite).toBe('Lax');
    expect(res.json().user).toMatchObject({
      username: 'reviewer',
      role: 'city_reviewer',
      jurisdictionCode: '140500',
    });
  });

  it('lets the province see everything and a village chief only its village', async () => {
    const province = await fx.s.login('province');
    const village = await fx.s.login('village');
    const pj = await get('/api/jurisdictions', province);
    expect(pj.body.items.filter((j: { level: string }) => j.level === 'county').length).toBe(2);
    expect((await get('/api/polygons', province)).body.count).toBe(3);

    const vj = await get('/api/jurisdictions', village);
    expect(vj.body.items.map((j: { code: string }) => j.code)).toEqual(['140525100200']);
    const vp = await get('/api/polygons', village);
    expect(vp.body.items.map((p: { code: string }) => p.code)).toEqual(['P-NANCUN']);
    const beicun = (await get('/api/polygons', province)).body.items.find(
      (p: { code: string }) => p.code === 'P-BEICUN',
    );
    expect(await get(`/api/polygons/${beicun.id}`, village)).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found' } },
    });
    expect((await get('/api/jurisdictions/140525', village)).status).toBe(404);
    // a box covering the whole region still returns only what is in scope
    const inBox = await get('/api/polygons?bbox=111,34,115,37&format=geojson', village);
    expect(
      inBox.body.features.map((f: { properties: { code: string } }) => f.properties.code),
    ).toEqual(['P-NANCUN']);
  });

  it('keeps two counties apart', async () => {
    const gaoping = await fx.s.login('gaoping');
    const codes = (await get('/api/polygons', gaoping)).body.items.map(
      (p: { code: string }) => p.code,
    );
    expect(codes).toEqual(['P-GAOPING']);
  });

  it('rejects a malformed query naming the field', async () => {
    const province = await fx.s.login('province');
    const { status, body } = await get('/api/polygons?bbox=1,2,3', province);
    expect(status).toBe(400);
    expect(body.error.code).toBe('bad_input');
    expect(body.error.message).toMatch(/bbox/);
  });

  it('issues API tokens that work as Bearer credentials', async () => {
    const cookie = await fx.s.login('zezhou');
    const res = await fx.s.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: { cookie },
      payload: { label: 'script' },
    });
    const { token } = res.json();
    expect(token).toMatch(/^gbt_/);
    const me = await fx.s.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.json()).toMatchObject({ user: { username: 'zezhou' }, scopePrefix: '140525' });
    const bad = await fx.s.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { authorization: 'Bearer gbt_forged' },
    });
    expect(bad.statusCode).toBe(401);
  });

  it('lets only administrators create accounts, and only inside their scope', async () => {
    const reviewer = await fx.s.login('reviewer');
    const body = {
      username: 'new.chief',
      displayName: '新田长',
      password: 'Long-enough-pw-2026',
      role: 'village_chief',
      jurisdictionCode: '140525100201',
    };
    const denied = await fx.s.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: reviewer },
      payload: body,
    });
    expect(denied.json().error.code).toBe('forbidden');
    const admin = await fx.s.login('admin');
    const created = await fx.s.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: admin },
      payload: body,
    });
    expect(created.statusCode).toBe(201);
    const newChief = await fx.s.login('new.chief', 'Long-enough-pw-2026');
    expect(
      (await get('/api/polygons', newChief)).body.items.map((p: { code: string }) => p.code),
    ).toEqual(['P-BEICUN']);
  });

  it('runs a job on a worker thread and stores its progress and result, scoped', async () => {
    const cookie = await fx.s.login('zezhou');
    const res = await fx.s.app.inject({
      method: 'POST',
      url: '/api/jobs',
      headers: { cookie },
      payload: { type: 'system.probe', payload: { rounds: 500 } },
    });
    expect(res.statusCode).toBe(202);
    const { id } = res.json();
    await fx.s.jobs.whenIdle();
    const job = (await get(`/api/jobs/${id}`, cookie)).body;
    expect(job).toMatchObject({ status: 'succeeded', progress: 1, type: 'system.probe' });
    expect(job.result.digest).toMatch(/^[0-9a-f]{64}$/);
    const other = await fx.s.login('gaoping');
    expect((await get(`/api/jobs/${id}`, other)).status).toBe(404);
    const bad = await fx.s.app.inject({
      method: 'POST',
      url: '/api/jobs',
      headers: { cookie },
      payload: { type: 'no.such.job' },
    });
    expect(bad.json().error).toMatchObject({ code: 'bad_input', field: 'type' });
  });

  it('rate-limits failed logins and records every attempt', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await fx.s.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'township', password: 'wrong-' + i },
        remoteAddress: '10.9.9.9',
      });
      expect(r.statusCode).toBe(401);
    }
    const blocked = await fx.s.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'township', password: 'fixture-password' },
      remoteAddress: '10.9.9.9',
    });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.code).toBe('rate_limited');
    const [{ n }] = await fx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM login_attempts WHERE username = 'township' AND NOT ok`,
    );
    expect(n).toBe(6);
  });
});
