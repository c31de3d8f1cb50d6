import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crsFromEpsg } from '../src/raster/crs.ts';
import { syntheticPair, tempDir, writeMultiband } from '../src/raster/test-fixtures.ts';
import { seedFixtureRegion } from '../src/server/testing.ts';
import type { Db } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { openPostgres } from '../src/store/postgres.ts';
import { createTestDatabase, TEST_DATABASE_URL } from '../src/store/testing.ts';
import { startWorker } from './support/gengbao-process.ts';

/** A worker ticking the monitoring loop every 0.3 s over `dataDir`, without the demo. */
const loopEnv = (dataDir: string) => ({
  GENGBAO_DATA_DIR: dataDir,
  GENGBAO_LOOP_SECONDS: '0.3',
  GENGBAO_DEMO: 'off',
});

describe.skipIf(!TEST_DATABASE_URL)(
  'the monitoring loop with two `gengbao worker` processes (needs TEST_DATABASE_URL)',
  () => {
    let db: Db;
    let drop: () => Promise<void>;
    const workers: ChildProcess[] = [];
    const dir = tempDir('gengbao-loop-workers-');
    const pair = syntheticPair(128, 7);
    const grid = {
      ...pair.grid,
      crs: crsFromEpsg(4490),
      originX: 112.02,
      originY: 35.06,
      pixelWidth: 0.0001,
      pixelHeight: 0.0001,
    };

    beforeAll(async () => {
      let url: string;
      ({ url, drop } = await createTestDatabase(TEST_DATABASE_URL!));
      db = await openPostgres(url);
      await migrate(db);
      await seedFixtureRegion(db);
      mkdirSync(join(dir, 'incoming'), { recursive: true });
      workers.push(
        ...(await Promise.all([
          startWorker(url, 'worker-a', loopEnv(dir)),
          startWorker(url, 'worker-b', loopEnv(dir)),
        ])),
      );
    }, 120_000);

    afterAll(async () => {
      for (const w of workers) w.kill('SIGTERM');
      await Promise.all(
        workers.map((w) => new Promise((r) => (w.exitCode !== null ? r(null) : w.on('exit', r)))),
      );
      await db?.close();
      await drop?.();
    });

    it('takes a dropped pair in once and runs its month exactly once, however many workers tick', async () => {
      const incoming = join(dir, 'incoming');
      writeFileSync(
        join(incoming, 'before.tif.json'),
        JSON.stringify({ date: '2026-03-15', sensor: 's2' }),
      );
      writeMultiband(join(incoming, 'before.tif'), pair.before, grid);
      writeFileSync(
        join(incoming, 'after.tif.json'),
        JSON.stringify({ date: '2026-04-14', sensor: 's2' }),
      );
      writeMultiband(join(incoming, 'after.tif'), pair.after, grid);

      const deadline = Date.now() + 90_000;
      let runs: { stage: string; job_id: string; stages: { detect?: { stored: number } } }[] = [];
      while (Date.now() < deadline) {
        runs = await db.query(`SELECT stage, job_id, stages FROM monitoring_runs`);
        if (runs.some((r) => r.stage === 'done')) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      // A few more ticks of both workers: nothing new may start.
      await new Promise((r) => setTimeout(r, 1500));
      runs = await db.query(`SELECT stage, job_id, stages FROM monitoring_runs`);
      expect(runs.map((r) => r.stage)).toEqual(['done']);
      const jobs = await db.query<{ status: string; worker: string }>(
        `SELECT status, worker FROM jobs WHERE type = 'monitoring.month'`,
      );
      expect(jobs.map((j) => j.status)).toEqual(['succeeded']);
      expect(['worker-a', 'worker-b']).toContain(jobs[0].worker);
      const files = await db.query<{ status: string }>(
        `SELECT status FROM intake_files ORDER BY name`,
      );
      expect(files.map((f) => f.status)).toEqual(['registered', 'registered']);
      expect((await db.query(`SELECT id FROM imagery`)).length).toBe(2);
      const stored = runs[0].stages.detect!.stored;
      expect(stored).toBeGreaterThanOrEqual(2);
      const polygons = await db.query<{ status: string }>(
        `SELECT case_state ->> 'status' AS status FROM polygons WHERE period = '2026-04'`,
      );
      expect(polygons.length).toBe(stored);
      expect(polygons.every((p) => p.status === 'pushed')).toBe(true);
      const chief = await db.query(
        `SELECT n.id FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = 'village' AND n.kind = 'notify'`,
      );
      expect(chief.length).toBe(stored);
    }, 120_000);
  },
);
