import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgBossRunner } from '../../src/jobs/pgboss-runner.ts';
import { seedFixtureRegion, testServer, type TestServer } from '../../src/server/testing.ts';
import type { Db } from '../../src/store/db.ts';
import { failDeadJobs } from '../../src/store/jobs.ts';
import { migrate } from '../../src/store/migrate.ts';
import { openPostgres } from '../../src/store/postgres.ts';
import { Scope } from '../../src/store/scope.ts';
import { createTestDatabase, TEST_DATABASE_URL, testBackends } from '../../src/store/testing.ts';
import { startWorker } from '../support/gengbao-process.ts';

/**
 * Finding: in server mode a killed `gengbao worker` left its job "running" for ever. Now a
 * running job's worker stamps a heartbeat, a sweep fails jobs whose heartbeat is too old with
 * the reason, and users allowed to submit the type can retry a failed job.
 */

async function until<T>(
  what: string,
  read: () => Promise<T>,
  done: (v: T) => boolean,
  ms = 60_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(!TEST_DATABASE_URL)(
  'a killed worker’s job fails with the reason (pg-boss, needs TEST_DATABASE_URL)',
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
      await seedFixtureRegion(db);
      // The server side sweeps every 0.5 s for jobs silent for 3 s.
      runner = await PgBossRunner.start(db, url, { heartbeatMs: 500 });
    }, 120_000);

    afterAll(async () => {
      for (const w of workers) if (w.exitCode === null) w.kill('SIGTERM');
      await Promise.all(
        workers.map(
          (w) =>
            new Promise((r) => (w.exitCode !== null || w.signalCode ? r(null) : w.on('exit', r))),
        ),
      );
      await runner?.stop();
      await db?.close();
      await drop?.();
    });

    const by = { scope: new Scope('14'), jurisdictionCode: '140000', userId: null };
    const jobRow = (id: string) => async () =>
      (
        await db.query<{
          status: string;
          error: { message: string } | null;
          heartbeat_at: Date | null;
        }>(`SELECT status, error, heartbeat_at FROM jobs WHERE id = $1`, [id])
      )[0];

    it('fails the job of a worker killed mid-run, and keeps a slow live one running', async () => {
      const a = await startWorker(url, 'worker-killed', { GENGBAO_JOB_HEARTBEAT_SECONDS: '0.5' });
      workers.push(a);
      const job = await runner.submit(by, 'system.probe', { rounds: 10, holdMs: 10_000 });
      await until(
        'the job to run',
        jobRow(job.id),
        (r) => r.status === 'running' && !!r.heartbeat_at,
      );
      a.kill('SIGKILL');
      const failed = await until(
        'the sweep',
        jobRow(job.id),
        (r) => r.status !== 'running',
        30_000,
      );
      expect(failed.status).toBe('failed');
      expect(failed.error!.message).toMatch(
        /worker-killed.*stopped responding.*retry it|stopped responding \(worker-killed/,
      );

      // A live worker's job outlasts the 3 s threshold: its heartbeats keep it running.
      workers.push(
        await startWorker(url, 'worker-alive', { GENGBAO_JOB_HEARTBEAT_SECONDS: '0.5' }),
      );
      const slow = await runner.submit(by, 'system.probe', { rounds: 10, holdMs: 5_000 });
      const done = await until(
        'the slow job',
        jobRow(slow.id),
        (r) => r.status === 'succeeded' || r.status === 'failed',
        60_000,
      );
      expect(done.status).toBe('succeeded');
    }, 120_000);
  },
);

describe.each(testBackends())('dead jobs are swept and failed jobs retried on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  let s: TestServer;

  beforeAll(async () => {
    db = await backend.open();
    await seedFixtureRegion(db);
    s = await testServer(db);
  });
  afterAll(async () => {
    await s?.close();
    await db?.drop();
  });

  /** A job left running by a worker that stopped beating an hour ago. */
  async function orphan(): Promise<string> {
    const id = crypto.randomUUID();
    await db.query(
      `INSERT INTO jobs (id, type, status, payload, jurisdiction_code, scope_prefix, worker, started_at, heartbeat_at)
       VALUES ($1, 'system.probe', 'running', '{"rounds":5,"holdMs":0}', '140525100200', '140525100200', 'gone:1', now() - interval '1 hour', now() - interval '1 hour')`,
      [id],
    );
    return id;
  }

  it('fails only running jobs whose heartbeat is older than the limit, with the reason', async () => {
    const id = await orphan();
    expect(await failDeadJobs(db, 60_000)).toEqual([id]);
    const [row] = await db.query<{ status: string; error: { code: string; message: string } }>(
      `SELECT status, error FROM jobs WHERE id = $1`,
      [id],
    );
    expect(row.status).toBe('failed');
    expect(row.error.message).toMatch(/执行任务的进程已停止响应.*gone:1.*stopped responding/);
    expect(await failDeadJobs(db, 60_000)).toEqual([]);
  });

  it('retries a failed job for users allowed to submit its type, and no one else', async () => {
    const id = await orphan();
    await failDeadJobs(db, 60_000);
    const village = await s.app.inject({
      method: 'POST',
      url: `/api/jobs/${id}/retry`,
      headers: { cookie: await s.login('village') },
    });
    expect(village.statusCode).toBe(403);
    const county = await s.app.inject({
      method: 'POST',
      url: `/api/jobs/${id}/retry`,
      headers: { cookie: await s.login('zezhou') },
    });
    expect(county.statusCode).toBe(202);
    const again = county.json();
    expect(again).toMatchObject({ type: 'system.probe', payload: { rounds: 5 } });
    expect(again.id).not.toBe(id);
    await s.jobs.whenIdle();
    const [row] = await db.query<{ status: string }>(`SELECT status FROM jobs WHERE id = $1`, [
      again.id,
    ]);
    expect(row.status).toBe('succeeded');
    const notFailed = await s.app.inject({
      method: 'POST',
      url: `/api/jobs/${again.id}/retry`,
      headers: { cookie: await s.login('zezhou') },
    });
    expect(notFailed.statusCode).toBe(409);
  });
});
