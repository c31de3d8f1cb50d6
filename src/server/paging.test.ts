import { beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../store/testing.ts';
import { servedFixture } from './testing.ts';

/** Keyset pages of the list routes (src/server/paging.ts): cursors, caps, totals. */
describe.each(testBackends())('keyset pages on $name', (backend) => {
  const fx = servedFixture(backend);
  let cookie: string;
  beforeAll(async () => {
    cookie = await fx.s.login('admin');
  });
  const get = async (url: string) => {
    const r = await fx.s.app.inject({ method: 'GET', url, headers: { cookie } });
    return { status: r.statusCode, body: r.json() };
  };

  it('following nextCursor with limit=1 visits every 图斑 once, in id order', async () => {
    const whole = (await get('/api/polygons')).body;
    expect(whole.nextCursor).toBeNull();
    const seen: number[] = [];
    let url = '/api/polygons?limit=1';
    for (;;) {
      const { status, body } = await get(url);
      expect(status).toBe(200);
      expect(body.count).toBe(body.items.length);
      seen.push(...body.items.map((p: { id: number }) => p.id));
      if (!body.nextCursor) break;
      url = `/api/polygons?limit=1&cursor=${encodeURIComponent(body.nextCursor)}`;
    }
    expect(seen).toEqual(whole.items.map((p: { id: number }) => p.id));
    expect(seen.length).toBe(3);
  });

  it('a total is counted only when asked, over every match and not the page', async () => {
    expect((await get('/api/polygons?limit=1')).body.total).toBeUndefined();
    expect((await get('/api/polygons?limit=1&total=true')).body).toMatchObject({
      count: 1,
      total: 3,
    });
    expect((await get('/api/polygons?limit=1&total=true&source=batch')).body).toMatchObject({
      total: 1,
    });
  });

  it('geometry only on request: the JSON list leaves it out', async () => {
    const { body } = await get('/api/polygons?limit=1');
    expect(body.items[0].geometry).toBeUndefined();
    const geo = (await get('/api/polygons?limit=1&format=geojson')).body;
    expect(geo.features[0].geometry.type).toBe('Polygon');
    expect(typeof geo.nextCursor).toBe('string');
  });

  it('asks above the cap are cut to it; offset still pages', async () => {
    const { status } = await get('/api/polygons?limit=10000');
    expect(status).toBe(200);
    const second = (await get('/api/polygons?limit=1&offset=1')).body.items[0].id;
    const all = (await get('/api/polygons')).body.items.map((p: { id: number }) => p.id);
    expect(second).toBe(all[1]);
  });

  it('a cursor of another list, or none at all, is bad input', async () => {
    const users = (await get('/api/users?limit=1')).body;
    expect(users.nextCursor).toEqual(expect.any(String));
    for (const cursor of [
      users.nextCursor,
      'not-a-cursor',
      Buffer.from('["polygons","x"]').toString('base64url'),
    ]) {
      const r = await get(`/api/polygons?cursor=${encodeURIComponent(cursor)}`);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('bad_input');
    }
  });

  it('users, jobs, tips and the queues page with cursors too', async () => {
    const all = (await get('/api/users')).body.items.map((u: { username: string }) => u.username);
    const paged: string[] = [];
    for (let url = '/api/users?limit=2'; ;) {
      const b = (await get(url)).body;
      paged.push(...b.items.map((u: { username: string }) => u.username));
      if (!b.nextCursor) break;
      url = `/api/users?limit=2&cursor=${encodeURIComponent(b.nextCursor)}`;
    }
    expect(paged).toEqual(all);
    for (const url of [
      '/api/jobs?limit=1',
      '/api/camera-events?limit=1',
      '/api/tips?limit=1',
      '/api/queues/verdict/none?limit=1&total=true',
      '/api/queues/overdue?limit=1&total=true',
    ]) {
      const r = await get(url);
      expect(r.status, url).toBe(200);
      expect(r.body).toHaveProperty('nextCursor');
    }
    const none = (await get('/api/queues/verdict/none?limit=1&total=true')).body;
    expect(none.total).toBe(3);
    const next = (
      await get(`/api/queues/verdict/none?limit=5&cursor=${encodeURIComponent(none.nextCursor)}`)
    ).body;
    expect(next.items.length).toBe(2);
    expect(next.items.map((p: { id: number }) => p.id)).not.toContain(none.items[0].id);
  });
});
