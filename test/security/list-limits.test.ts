import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFixtureRegion, testServer, type TestServer } from '../../src/server/testing.ts';
import { insertNotifications } from '../../src/store/cases.ts';
import { insertJurisdictions } from '../../src/store/jurisdictions.ts';
import { createReferenceLayer, insertReferenceFeatures } from '../../src/store/reference.ts';
import { Scope } from '../../src/store/scope.ts';
import { testBackends } from '../../src/store/testing.ts';

/**
 * Finding (issue 25): /api/layers/features answered up to 50,000 features with their outlines
 * in one reply, /api/jurisdictions 5,000 units; one client asking for that at a time held the
 * server for everyone. A huge limit is now cut to each list's cap (the client follows
 * `nextCursor`), and one past the schema's bound is refused before any query.
 */
describe.each(testBackends())('a huge limit is capped on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  let s: TestServer;
  let cookie: string;
  const CAPS = { jurisdictions: 1000, features: 2000, inbox: 500 };

  beforeAll(async () => {
    db = await backend.open();
    await seedFixtureRegion(db);
    const system = Scope.system();
    // More rows than each cap in the county.
    const townships = ['140525101', '140525102', '140525103'];
    await insertJurisdictions(db, system, [
      ...townships.map((code) => ({
        code,
        level: 'township' as const,
        parentCode: '140525',
        name: `镇${code}`,
        geometry: null,
        meta: {},
      })),
      ...townships.flatMap((t) =>
        Array.from({ length: 400 }, (_, i) => ({
          code: `${t}${String(i).padStart(3, '0')}`,
          level: 'village' as const,
          parentCode: t,
          name: `村${t}${i}`,
          geometry: null,
          meta: {},
        })),
      ),
    ]);
    const id = await createReferenceLayer(db, system, {
      kind: 'farmland',
      name: '耕地',
      jurisdictionCode: '140525',
      source: 'test',
    });
    await insertReferenceFeatures(
      db,
      system,
      { id, kind: 'farmland', name: '耕地' },
      Array.from({ length: CAPS.features + 5 }, (_, i) => {
        const lon = 112.01 + (i % 50) * 0.001;
        const lat = 35.01 + Math.floor(i / 50) * 0.001;
        return {
          jurisdictionCode: '140525100200',
          geometry: {
            type: 'Polygon' as const,
            coordinates: [
              [
                [lon, lat],
                [lon + 0.0008, lat],
                [lon + 0.0008, lat + 0.0008],
                [lon, lat],
              ],
            ],
          },
        };
      }),
    );
    const at = new Date('2026-11-20T08:00:00Z');
    await insertNotifications(
      db,
      Array.from({ length: CAPS.inbox + 5 }, (_, i) => ({
        jurisdictionCode: '140525',
        polygonId: null,
        kind: 'test',
        payload: { i },
        at: new Date(at.getTime() + i),
      })),
    );
    s = await testServer(db);
    cookie = await s.login('zezhou');
  });
  afterAll(async () => {
    await s?.close();
    await db?.drop();
  });
  const get = async (url: string) => {
    const r = await s.app.inject({ method: 'GET', url, headers: { cookie } });
    return { status: r.statusCode, body: r.json() };
  };

  it.each([
    ['/api/jurisdictions', CAPS.jurisdictions, 'items'],
    ['/api/jurisdictions?geometry=true', CAPS.jurisdictions, 'features'],
    ['/api/layers/features?bbox=111,34,114,37', CAPS.features, 'features'],
    ['/api/inbox', CAPS.inbox, 'items'],
  ] as const)('%s with limit=10000 gets the cap and a cursor', async (url, cap, key) => {
    const sep = url.includes('?') ? '&' : '?';
    const { status, body } = await get(`${url}${sep}limit=10000`);
    expect(status).toBe(200);
    expect(body[key].length).toBe(cap);
    expect(body.count).toBe(cap);
    expect(body.nextCursor).toEqual(expect.any(String));
    const rest = await get(`${url}${sep}limit=10000&cursor=${encodeURIComponent(body.nextCursor)}`);
    expect(rest.status).toBe(200);
    expect(rest.body[key].length).toBeGreaterThan(0);
  });

  it.each(['/api/jurisdictions', '/api/layers/features?bbox=111,34,114,37', '/api/inbox'])(
    '%s refuses a limit past any page (400) and a negative one',
    async (url) => {
      const sep = url.includes('?') ? '&' : '?';
      for (const limit of ['100000000', '1e9', '-1', '0']) {
        const r = await get(`${url}${sep}limit=${limit}`);
        expect(r.status, limit).toBe(400);
        expect(r.body.error.code).toBe('bad_input');
      }
    },
  );
});
