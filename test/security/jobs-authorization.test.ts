import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crsFromEpsg } from '../../src/raster/crs.ts';
import { syntheticPair, tempDir, writeMultiband } from '../../src/raster/test-fixtures.ts';
import { seedFixtureRegion, testServer, type TestServer } from '../../src/server/testing.ts';
import { Scope } from '../../src/store/scope.ts';
import { testBackends } from '../../src/store/testing.ts';

/**
 * Finding: any logged-in user could make the server fetch any URL or open any local path
 * through `POST /api/jobs` (`detection.run` with `before`/`after`), and the job's error told
 * whether a file existed. Now each job type names who may submit it, paths and URLs come only
 * from registered scenes or the administrator's allow-list, and refusals happen before any
 * file or network access, with the same words whatever exists.
 */

/** A local listener standing for an internal service: it counts every request it receives. */
async function listener(): Promise<{ url: string; hits: () => number; close(): Promise<void> }> {
  let hits = 0;
  const server: Server = createServer((_req, res) => {
    hits++;
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits: () => hits,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe.each(testBackends())(
  'job submission is authorised and imagery locations allow-listed on $name',
  (backend) => {
    let db: Awaited<ReturnType<typeof backend.open>>;
    let open: TestServer;
    let allowing: TestServer;
    let internal: Awaited<ReturnType<typeof listener>>;
    const dir = tempDir('gengbao-jobs-auth-');
    const pair = syntheticPair(64, 3);
    const grid = {
      ...pair.grid,
      crs: crsFromEpsg(4490),
      originX: 112.02,
      originY: 35.06,
      pixelWidth: 0.0001,
      pixelHeight: 0.0001,
    };
    const before = writeMultiband(join(dir, 'before.tif'), pair.before, grid);
    const after = writeMultiband(join(dir, 'after.tif'), pair.after, grid);

    beforeAll(async () => {
      internal = await listener();
      db = await backend.open();
      await seedFixtureRegion(db);
      open = await testServer(db, { dataDir: dir });
      // Another installation on the same data whose administrator allows the folder and the listener.
      allowing = await testServer(db, { dataDir: dir, imageryAllow: `${dir},${internal.url}` });
    });
    afterAll(async () => {
      await open?.close();
      await allowing?.close();
      await internal?.close();
      await db?.drop();
    });

    const submit = async (
      s: TestServer,
      user: string,
      payload: Record<string, unknown>,
      type = 'detection.run',
    ) =>
      s.app.inject({
        method: 'POST',
        url: '/api/jobs',
        headers: { cookie: await s.login(user) },
        payload: { type, payload },
      });

    it('refuses a village chief with 403 before anything is fetched', async () => {
      const res = await submit(open, 'village', {
        period: '2026-11',
        before: `${internal.url}/before.tif`,
        after: `${internal.url}/after.tif`,
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().error).toMatchObject({ code: 'forbidden', field: 'type' });
      expect(res.json().error.message).toMatch(/village_chief may not submit detection.run/);
      await open.jobs.whenIdle();
      expect(internal.hits()).toBe(0);
      expect(await db.query('SELECT id FROM jobs')).toHaveLength(0);
    });

    it('lists who may submit each type, and whether the caller may', async () => {
      const res = await open.app.inject({
        method: 'GET',
        url: '/api/jobs/types',
        headers: { cookie: await open.login('village') },
      });
      const detect = res.json().items.find((t: { type: string }) => t.type === 'detection.run');
      expect(detect).toMatchObject({
        allowed: false,
        roles: expect.arrayContaining(['province_monitor', 'admin']),
      });
      expect(detect.roles).not.toContain('village_chief');
    });

    it('refuses a province monitor with a URL or path not on the allow-list, the same words whether the file exists or not', async () => {
      const url = await submit(open, 'province', {
        period: '2026-11',
        before: `${internal.url}/before.tif`,
        after: `${internal.url}/after.tif`,
      });
      expect(url.statusCode).toBe(403);
      expect(url.json().error.field).toBe('payload.before');
      const existing = await submit(open, 'province', {
        period: '2026-11',
        before: '/etc/passwd',
        after,
      });
      const missing = await submit(open, 'province', {
        period: '2026-11',
        before: '/etc/no-such-file-here',
        after,
      });
      expect([existing.statusCode, missing.statusCode]).toEqual([403, 403]);
      expect(existing.json().error.message).toBe(missing.json().error.message);
      expect(existing.json().error.message).not.toMatch(/passwd|exist|ENOENT/);
      await open.jobs.whenIdle();
      expect(internal.hits()).toBe(0);
      expect(await db.query('SELECT id FROM jobs')).toHaveLength(0);
    });

    it('refuses a path that climbs out of an allowed folder, and a lookalike host', async () => {
      const climb = await submit(allowing, 'province', {
        period: '2026-11',
        before: `${dir}/../../etc/passwd`,
        after,
      });
      expect(climb.statusCode).toBe(403);
      const lookalike = await submit(allowing, 'province', {
        period: '2026-11',
        before: `${internal.url}.evil.example/x.tif`,
        after,
      });
      expect(lookalike.statusCode).toBe(403);
    });

    it('admits the allow-listed host and folder; the job error keeps no server path', async () => {
      const res = await submit(allowing, 'province', {
        period: '2026-11',
        before: `${internal.url}/before.tif`,
        after,
        chips: false,
      });
      expect(res.statusCode).toBe(202);
      await allowing.jobs.whenIdle();
      expect(internal.hits()).toBeGreaterThan(0);
      const job = (
        await allowing.app.inject({
          method: 'GET',
          url: `/api/jobs/${res.json().id}`,
          headers: { cookie: await allowing.login('province') },
        })
      ).json();
      expect(job.status).toBe('failed');
      expect(job.error.message).not.toContain(dir);
    });

    it('runs a job on files in an allowed folder', async () => {
      const res = await submit(allowing, 'province', {
        period: '2026-12',
        before,
        after,
        chips: false,
        minAreaM2: 0,
      });
      expect(res.statusCode).toBe(202);
      await allowing.jobs.whenIdle();
      const job = (
        await allowing.app.inject({
          method: 'GET',
          url: `/api/jobs/${res.json().id}`,
          headers: { cookie: await allowing.login('province') },
        })
      ).json();
      expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    });

    it('refuses at run time a path outside the allow-list (a worker checks again, whatever was stored)', async () => {
      const [{ id }] = await db.query<{ id: number }>(
        `SELECT id FROM users WHERE username = 'province'`,
      );
      const run = {
        jobId: 'direct',
        scope: Scope.system(),
        actorId: Number(id),
        progress: async () => {},
      };
      const refused = await open.services.detection
        .detect(
          run,
          { period: '2026-10', before: '/etc/passwd', after, sensor: 's2', chips: false },
          { workers: 1 },
        )
        .catch((e) => e);
      expect(refused).toMatchObject({ code: 'forbidden', field: 'payload.before' });
    });
  },
);
