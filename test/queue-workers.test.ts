import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgBossRunner } from '../src/jobs/pgboss-runner.ts';
import type { Db } from '../src/store/db.ts';
import { insertJurisdictions } from '../src/store/jurisdictions.ts';
import { migrate } from '../src/store/migrate.ts';
import { openPostgres } from '../src/store/postgres.ts';
import { Scope } from '../src/store/scope.ts';
import { createTestDatabase, TEST_DATABASE_URL } from '../src/store/testing.ts';
import { startWorker } from './support/gengbao-process.ts';

describe.skipIf(!TEST_DATABASE_URL)(
  'pg-boss queue with two `gengbao worker` processes (needs TEST_DATABASE_URL)',
  () => {
    let db: Db;
    let drop: () => Promise<void>;
    let url: string;
    let runner: PgBossRunner;
    const workers: ChildProcess[] = [];

    beforeAll(async () => {
      ({ url, drop } = await createTestDatabase(TEST_DATABASE_URL!));
      db = await openPostgres(url);
      await migrate(db);
      await insertJurisdictions(db, Scope.system(), [
        {
          code: '140000',
          level: 'province',
          parentCode: null,
          name: '山西省',
          geometry: null,
          meta: {},
        },
      ]);
      runner = await PgBossRunner.start(db, url);
      workers.push(
        ...(await Promise.all([startWorker(url, 'worker-a'), startWorker(url, 'worker-b')])),
      );
    }, 120_000);

    afterAll(async () => {
      for (const w of workers) w.kill('SIGTERM');
      await Promise.all(
        workers.map((w) => new Promise((r) => (w.exitCode !== null ? r(null) : w.on('exit', r)))),
      );
      await runner?.stop();
      await db?.close();
      await drop?.();
    });

    it('delivers each job exactly once and spreads jobs over both workers', async () => {
      const by = { scope: new Scope('14'), jurisdictionCode: '140000', userId: null };
      const jobs = await Promise.all(
        Array.from({ length: 8 }, () =>
          runner.submit(by, 'system.probe', { rounds: 200, holdMs: 400 }),
        ),
      );
      expect(jobs.every((j) => j.status === 'queued')).toBe(true);
      const deadline = Date.now() + 60_000;
      let rows: {
        status: string;
        worker: string | null;
        progress: number;
        result: { digest: string } | null;
      }[] = [];
      while (Date.now() < deadline) {
        rows = await db.query(`SELECT status, worker, progress, result FROM jobs`);
        if (rows.every((r) => r.status === 'succeeded' || r.status === 'failed')) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(rows.map((r) => r.status)).toEqual(Array(8).fill('succeeded'));
      expect(new Set(rows.map((r) => r.worker))).toEqual(new Set(['worker-a', 'worker-b']));
      expect(rows.every((r) => r.progress === 1 && /^[0-9a-f]{64}$/.test(r.result!.digest))).toBe(
        true,
      );
    }, 90_000);
  },
);
