import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crsFromEpsg } from '../src/raster/crs.ts';
import { rgbPair, syntheticPair, tempDir, writeMultiband } from '../src/raster/test-fixtures.ts';
import { importImagery } from '../src/services/imagery.ts';
import { seedFixtureRegion, testServer, type TestServer } from '../src/server/testing.ts';
import { Scope } from '../src/store/scope.ts';
import { testBackends } from '../src/store/testing.ts';

describe.each(testBackends())('detection job on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  let s: TestServer;
  const dir = tempDir('gengbao-detect-job-');
  const pair = syntheticPair(128, 7);
  // The synthetic pair, georeferenced inside the fixture village 南村 (112.0–112.1 E, 35.0–35.1 N).
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
    db = await backend.open();
    await seedFixtureRegion(db);
    // Imagery by path comes only from allowed folders (GENGBAO_IMAGERY_ALLOW).
    s = await testServer(db, { dataDir: dir, imageryAllow: dir });
  });
  afterAll(async () => {
    await s?.close();
    await db?.drop();
  });

  /** Submits a detection run as the holder of `cookie`; the job once the runner is idle. */
  async function runDetection(cookie: string, payload: Record<string, unknown>) {
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/jobs',
      headers: { cookie },
      payload: { type: 'detection.run', payload },
    });
    expect(res.statusCode, res.body).toBe(202);
    await s.jobs.whenIdle();
    return (
      await s.app.inject({ method: 'GET', url: `/api/jobs/${res.json().id}`, headers: { cookie } })
    ).json();
  }
  /** How many 图斑 of `period` the holder of `cookie` sees. */
  const countIn = async (cookie: string, period: string) =>
    (
      await s.app.inject({
        method: 'GET',
        url: `/api/polygons?period=${period}`,
        headers: { cookie },
      })
    ).json().count;

  it('stores the change polygons of a pair as 图斑 of the period, in the village, with cases and chips', async () => {
    const cookie = await s.login('province');
    const job = await runDetection(cookie, {
      period: '2026-12',
      before,
      after,
      sensor: 's2',
      minAreaM2: 0,
    });
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.result.stored).toBeGreaterThanOrEqual(2);
    const list = (
      await s.app.inject({
        method: 'GET',
        url: '/api/polygons?period=2026-12&source=detection',
        headers: { cookie },
      })
    ).json();
    expect(list.count).toBe(job.result.stored);
    const first = list.items[0];
    expect(first.code).toMatch(/^1405252026\d{2}D\d{4}$/);
    expect(first.jurisdictionCode).toBe('140525100200');
    expect(first.status).toBe('found');
    expect(['built', 'bare']).toContain(first.properties.changeClass);
    const chip = await s.app.inject({
      method: 'GET',
      url: `/api/polygons/${first.id}/chips/after.png`,
      headers: { cookie },
    });
    expect(chip.statusCode).toBe(200);
    expect(chip.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    const other = await s.login('gaoping');
    expect(
      (
        await s.app.inject({
          method: 'GET',
          url: `/api/polygons/${first.id}/chips/after.png`,
          headers: { cookie: other },
        })
      ).statusCode,
    ).toBe(404);
  });

  it('averages a drone frame onto the rgb working resolution and says so in the result', async () => {
    // 256² pixels of about 12 cm (1.2e-6°) in 南村: averaged 4 × 4 or so onto about 0.5 m.
    const drone = rgbPair(syntheticPair(64, 7), 4);
    const g = {
      ...drone.grid,
      crs: crsFromEpsg(4490),
      originX: 112.05,
      originY: 35.05,
      pixelWidth: 1.2e-6,
      pixelHeight: 1.2e-6,
    };
    const [b, a] = [drone.before, drone.after].map((bands, i) =>
      writeMultiband(join(dir, `drone-${i}.tif`), bands, g),
    );
    const cookie = await s.login('province');
    const results = [];
    for (const [period, extra] of [
      ['2026-10', {}],
      ['2026-11', { workingResolutionM: 0 }],
    ] as const) {
      const job = await runDetection(cookie, {
        period,
        before: b,
        after: a,
        sensor: 'rgb',
        chips: false,
        ...extra,
      });
      expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
      results.push(job.result);
    }
    expect(results[0].resolution).toMatch(
      /^before 0\.12 m pixels averaged 4 × 4, after .*: the rgb configuration works at 0\.5 m$/,
    );
    expect(results[0].stats.pixels).toBe(64 * 64);
    expect(results[0].stored).toBeGreaterThanOrEqual(1);
    expect(results[1].resolution).toBeNull();
    expect(results[1].stats.pixels).toBe(256 * 256);
  });

  it('reads a date of processing baseline 04.00 with addOffset, stores what the plain pair gives, and refuses a contradicted offset', async () => {
    const shifted = writeMultiband(
      join(dir, 'after-0509.tif'),
      pair.after.map((b) => b.map((v) => (v ? v + 1000 : 0))),
      grid,
    );
    const cookie = await s.login('province');
    const run = async (period: string, payload: Record<string, unknown>) => {
      return await runDetection(cookie, {
        period,
        before,
        sensor: 's2',
        minAreaM2: 0,
        chips: false,
        ...payload,
      });
    };
    const offset = await run('2026-06', { after: shifted, addOffset: { after: -1000 } });
    expect(offset.status, JSON.stringify(offset.error)).toBe('succeeded');
    expect(offset.result.radiometry).toBe('after: reflectance = (DN − 1000) / 10000 (as given)');
    const plain = await run('2026-07', { after });
    expect(plain.result.radiometry).toBeNull();
    expect(offset.result.stats).toEqual(plain.result.stats);
    const wrong = await run('2026-05', { after, addOffset: { after: -1000 } });
    expect(wrong.status).toBe('failed');
    expect(wrong.error.message).toMatch(
      /after\.tif: a twentieth of its blue values read below 1000/,
    );
    expect(await countIn(cookie, '2026-05')).toBe(0);
  });

  it('runs on scenes registered by importImagery, by their ids, with the offset a scene was registered with', async () => {
    const [b, a] = await Promise.all([
      importImagery(db, Scope.system(), { location: before, date: '2026-10-18', role: 'before' }),
      importImagery(db, Scope.system(), { location: after, date: '2026-11-17', role: 'after' }),
    ]);
    const cookie = await s.login('province');
    const listed = (
      await s.app.inject({ method: 'GET', url: '/api/imagery', headers: { cookie } })
    ).json();
    expect(listed.items.map((i: { id: number }) => i.id)).toEqual(
      expect.arrayContaining([b.id, a.id]),
    );
    const job = await runDetection(cookie, {
      period: '2026-04',
      beforeImagery: b.id,
      afterImagery: a.id,
      sensor: 's2',
      minAreaM2: 0,
      chips: false,
    });
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.result.stored).toBeGreaterThanOrEqual(2);
    // A scene stored 1000 higher whose file says nothing, registered with its offset: the job
    // reads it as the plain scene.
    const shifted = writeMultiband(
      join(dir, 'after-es.tif'),
      pair.after.map((v) => v.map((x) => (x ? x + 1000 : 0))),
      grid,
    );
    const es = await importImagery(db, Scope.system(), {
      location: shifted,
      date: '2026-11-17',
      addOffset: -1000,
    });
    const second = await runDetection(cookie, {
      period: '2026-03',
      beforeImagery: b.id,
      afterImagery: es.id,
      sensor: 's2',
      minAreaM2: 0,
      chips: false,
    });
    expect(second.result.radiometry).toBe('after: reflectance = (DN − 1000) / 10000 (as given)');
    expect(second.result.stats).toEqual(job.result.stats);
  });

  it('refuses the learned classifier for a sensor it was not trained for, storing nothing', async () => {
    const cookie = await s.login('province');
    const job = await runDetection(cookie, {
      period: '2026-08',
      before,
      after,
      sensor: 'landsat',
      bands: ['1', '2', '3', '4'],
      classifier: 'learned',
    });
    expect(job.status).toBe('failed');
    expect(job.error.message).toMatch(/no learned classifier is trained for sensor landsat/);
    expect(await countIn(cookie, '2026-08')).toBe(0);
  });

  it('fails the job with a clear message on a corrupt GeoTIFF, storing nothing', async () => {
    const cookie = await s.login('province');
    const bad = join(dir, 'corrupt.tif');
    (await import('node:fs')).writeFileSync(bad, Buffer.from('II*\0garbage that is not a tiff'));
    const job = await runDetection(cookie, { period: '2026-09', before: bad, after, sensor: 's2' });
    expect(job.status).toBe('failed');
    expect(job.error.message).toMatch(/corrupt\.tif/);
    expect(await countIn(cookie, '2026-09')).toBe(0);
  });
});
