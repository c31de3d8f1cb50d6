import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Polygon } from '../geo/types.ts';
import { insertNotifications } from '../store/cases.ts';
import { createReferenceLayer, insertReferenceFeatures } from '../store/reference.ts';
import { Scope } from '../store/scope.ts';
import { testBackends } from '../store/testing.ts';
import { seedFixtureRegion, testServer, type TestServer } from './testing.ts';

const square = (lon: number, lat: number, d: number): Polygon => ({
  type: 'Polygon',
  coordinates: [
    [
      [lon, lat],
      [lon + d, lat],
      [lon + d, lat + d],
      [lon, lat + d],
      [lon, lat],
    ],
  ],
});

/**
 * Keyset pages of the lists that returned everything before (issue 25): jurisdictions,
 * reference features in a box, the inbox. Following `nextCursor` with a small limit gives the
 * whole list once, in the list's order.
 */
describe.each(testBackends())(
  'jurisdictions, layer features and the inbox page on $name',
  (backend) => {
    let db: Awaited<ReturnType<typeof backend.open>>;
    let s: TestServer;
    let admin: string;
    let zezhou: string;
    beforeAll(async () => {
      db = await backend.open();
      await seedFixtureRegion(db);
      const system = Scope.system();
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
        Array.from({ length: 7 }, (_, i) => ({
          jurisdictionCode: '140525100200',
          geometry: square(112.01 + i * 0.005, 35.02, 0.004),
        })),
      );
      // Notices to the county: three share one instant, so the id breaks the tie.
      const t = Date.parse('2026-11-20T08:00:00.000Z');
      await insertNotifications(
        db,
        [0, 1, 1, 1, 2, 3].map((k, i) => ({
          jurisdictionCode: '140525',
          polygonId: null,
          kind: 'test',
          payload: { i },
          at: new Date(t + k * 60_000),
        })),
      );
      s = await testServer(db);
      admin = await s.login('admin');
      zezhou = await s.login('zezhou');
    });
    afterAll(async () => {
      await s?.close();
      await db?.drop();
    });
    const get = async (url: string, cookie = admin) => {
      const r = await s.app.inject({ method: 'GET', url, headers: { cookie } });
      return { status: r.statusCode, body: r.json() };
    };
    /** Every page of `url` with `limit`, following the cursor; what `pick` takes of each. */
    const follow = async (
      url: string,
      limit: number,
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies checked by the assertions
      pick: (b: any) => unknown[],
      cookie = admin,
    ) => {
      const pages: unknown[][] = [];
      const sep = url.includes('?') ? '&' : '?';
      for (let next = `${url}${sep}limit=${limit}`; ;) {
        const { status, body } = await get(next, cookie);
        expect(status, next).toBe(200);
        expect(body.count).toBe(pick(body).length);
        pages.push(pick(body));
        if (!body.nextCursor) break;
        next = `${url}${sep}limit=${limit}&cursor=${encodeURIComponent(body.nextCursor)}`;
      }
      return pages;
    };

    it('jurisdictions page in code order, as a list and as GeoJSON', async () => {
      const whole = (await get('/api/jurisdictions')).body;
      expect(whole.nextCursor).toBeNull();
      const codes = whole.items.map((j: { code: string }) => j.code);
      expect(codes).toEqual([...codes].sort());
      expect(codes.length).toBe(7);
      const pages = await follow('/api/jurisdictions', 3, (b) =>
        b.items.map((j: { code: string }) => j.code),
      );
      expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
      expect(pages.flat()).toEqual(codes);
      const geo = await follow('/api/jurisdictions?geometry=true', 4, (b) =>
        b.features.map((f: { id: string }) => f.id),
      );
      expect(geo.flat()).toEqual(codes);
      const villages = await follow('/api/jurisdictions?level=village', 1, (b) =>
        b.items.map((j: { code: string }) => j.code),
      );
      expect(villages.flat()).toEqual(['140525100200', '140525100201']);
    });

    it('reference features in a box page by id, inside the scope', async () => {
      const url = '/api/layers/features?bbox=111,34,114,37&kind=farmland';
      const whole = (await get(url)).body;
      expect(whole.nextCursor).toBeNull();
      const ids = whole.features.map((f: { id: number }) => f.id);
      expect(ids.length).toBe(7);
      expect(ids).toEqual([...ids].sort((a: number, b: number) => a - b));
      const pages = await follow(url, 3, (b) => b.features.map((f: { id: number }) => f.id));
      expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
      expect(pages.flat()).toEqual(ids);
      // Gaoping's officer sees none of Zezhou's features on any page.
      expect((await get(url, await s.login('gaoping'))).body).toMatchObject({
        count: 0,
        features: [],
        nextCursor: null,
      });
    });

    it('the inbox pages newest first, ties broken by the id; without a limit the first 200', async () => {
      const whole = (await get('/api/inbox', zezhou)).body;
      expect(whole.nextCursor).toBeNull();
      const ids = whole.items.map((n: { id: number }) => n.id);
      expect(whole.items.map((n: { payload: { i: number } }) => n.payload.i)).toEqual([
        5, 4, 3, 2, 1, 0,
      ]);
      for (const limit of [1, 2, 4]) {
        const pages = await follow(
          '/api/inbox',
          limit,
          (b) => b.items.map((n: { id: number }) => n.id),
          zezhou,
        );
        expect(pages.flat(), `limit ${limit}`).toEqual(ids);
      }
      await s.app.inject({
        method: 'POST',
        url: '/api/inbox/read',
        headers: { cookie: zezhou },
        payload: { ids: ids.slice(0, 2) },
      });
      const unread = await follow(
        '/api/inbox?unread=true',
        2,
        (b) => b.items.map((n: { id: number }) => n.id),
        zezhou,
      );
      expect(unread.flat()).toEqual(ids.slice(2));
    });

    it('a cursor of another list is refused on each', async () => {
      const other = (await get('/api/users?limit=1')).body.nextCursor;
      for (const url of [
        '/api/jurisdictions',
        '/api/layers/features?bbox=111,34,114,37',
        '/api/inbox',
      ]) {
        const sep = url.includes('?') ? '&' : '?';
        const r = await get(`${url}${sep}cursor=${encodeURIComponent(other)}`, zezhou);
        expect(r.status, url).toBe(400);
        expect(r.body.error.code).toBe('bad_input');
      }
    });
  },
);
