import { describe, beforeAll, expect, it } from 'vitest';
import { apiCalls, square, servedFixture } from '../../src/server/testing.ts';
import { insertImagery } from '../../src/store/imagery.ts';
import { testBackends } from '../../src/store/testing.ts';
import { MAX_LIVE_API_TOKENS } from '../../src/services/auth.ts';
import { MAX_SUBSCRIPTIONS } from '../../src/services/notices.ts';

/**
 * Finding (issue 25): imagery, cameras and field tasks answered every row at once (field tasks
 * silently stopped at 2,000), and a person could hold any number of API tokens and area
 * subscriptions, each list one reply. The lists are now keyset pages that a client walks with
 * `nextCursor`, each row once; tokens and subscriptions are bounded per person, and the next
 * one is refused in Chinese, changing nothing.
 */
describe.each(testBackends())('lists a page at a time on $name', (backend) => {
  const fx = servedFixture(backend);
  const cookies: Record<string, string> = {};
  const api = apiCalls(() => fx.s, cookies);

  /** Every id of a paged list walked `limit` at a time, and how many pages it took. */
  async function walk(user: string, path: string, limit: number) {
    const ids: unknown[] = [];
    let pages = 0;
    for (let cursor: string | null = null; ;) {
      const sep = path.includes('?') ? '&' : '?';
      const r = await api.get(
        user,
        `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(r.status).toBe(200);
      expect(r.body.items.length).toBeLessThanOrEqual(limit);
      ids.push(...r.body.items.map((i: { id: unknown }) => i.id));
      pages++;
      if (!(cursor = r.body.nextCursor)) return { ids, pages };
    }
  }

  beforeAll(async () => {
    for (const u of ['admin', 'zezhou', 'gaoping', 'village']) cookies[u] = await fx.s.login(u);
    for (const [name, day] of [
      ['b', '2026-10-01'],
      ['a', '2026-11-01'],
      ['undated', null],
      ['c', '2026-10-01'],
    ] as const)
      await insertImagery(fx.db, {
        name,
        acquiredOn: day,
        uri: `/nowhere/${name}.tif`,
        jurisdictionCode: '140525',
        bbox: [112, 35, 112.1, 35.1],
        meta: {},
      });
    for (const id of ['cam-3', 'cam-1', 'cam-2'])
      expect(
        (
          await api.post('admin', '/api/cameras', {
            id,
            jurisdictionCode: '140525100200',
            label: id,
            lon: 112.04,
            lat: 35.04,
          })
        ).status,
      ).toBe(201);
    await fx.db.query(
      `UPDATE polygons SET status = 'pushed' WHERE jurisdiction_code LIKE '140525%'`,
    );
  });

  it('imagery: oldest first, undated last, every scene once, in pages', async () => {
    const { ids, pages } = await walk('zezhou', '/api/imagery', 1);
    expect(pages).toBe(4);
    const all = (await api.get('zezhou', '/api/imagery')).body.items;
    expect(all.map((i: { name: string }) => i.name)).toEqual(['b', 'c', 'a', 'undated']);
    expect(ids).toEqual(all.map((i: { id: number }) => i.id));
    expect((await api.get('gaoping', '/api/imagery')).body.items).toEqual([]);
  });

  it('cameras and field tasks: every row once, in pages', async () => {
    expect((await walk('zezhou', '/api/cameras', 2)).ids).toEqual(['cam-1', 'cam-2', 'cam-3']);
    const tasks = await walk('zezhou', '/api/field/tasks', 1);
    expect(tasks.ids.length).toBeGreaterThanOrEqual(2);
    expect(new Set(tasks.ids).size).toBe(tasks.ids.length);
    // A full last page says there is none after it: it read one row past the limit.
    expect(tasks.pages).toBe(tasks.ids.length);
    // One list's cursor is refused by another.
    const cursor = (await api.get('zezhou', '/api/cameras?limit=1')).body.nextCursor;
    expect(
      (await api.get('zezhou', `/api/imagery?cursor=${encodeURIComponent(cursor)}`)).status,
    ).toBe(400);
  });

  it(`API tokens: one more than ${MAX_LIVE_API_TOKENS} live ones is refused and nothing is stored`, async () => {
    for (let i = 0; i < MAX_LIVE_API_TOKENS; i++)
      expect((await api.post('village', '/api/tokens', { label: `t${i}` })).status).toBe(200);
    const over = await api.post('village', '/api/tokens', { label: 'one too many' });
    expect(over.status).toBe(409);
    expect(over.body.error.message).toMatch(/^已有 20 个有效 API 令牌/);
    expect((await api.get('village', '/api/tokens')).body.items).toHaveLength(MAX_LIVE_API_TOKENS);
  });

  it(`area subscriptions: one more than ${MAX_SUBSCRIPTIONS} is refused and nothing is stored`, async () => {
    const area = square(112.01, 35.01, 0.01);
    for (let i = 0; i < MAX_SUBSCRIPTIONS; i++)
      expect(
        (
          await api.post('zezhou', '/api/subscriptions', {
            name: `区域${i}`,
            geometry: area,
            events: ['resumed'],
          })
        ).status,
      ).toBe(201);
    const over = await api.post('zezhou', '/api/subscriptions', {
      name: '多一个',
      geometry: area,
      events: ['resumed'],
    });
    expect(over.status).toBe(409);
    expect(over.body.error.message).toMatch(/^已有 50 个区域订阅/);
    expect((await api.get('zezhou', '/api/subscriptions')).body.items).toHaveLength(
      MAX_SUBSCRIPTIONS,
    );
  });
});
