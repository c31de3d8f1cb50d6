import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { seedFixtureRegion } from '../server/testing.ts';
import { buildServices, type Services } from '../services/container.ts';
import { getJob, insertJob } from '../store/jobs.ts';
import { Scope } from '../store/scope.ts';
import { testBackends } from '../store/testing.ts';
import { keepAlive, MISSED_BEATS, startDeadJobSweep } from './heartbeat.ts';

describe.each(testBackends())('job heartbeats on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  let services: Services;
  const scope = new Scope('140525');
  let n = 0;
  /** A job row in the given state, with its heartbeat `agoSeconds` back. */
  async function job(
    status: 'queued' | 'running',
    agoSeconds: number,
    worker = 'worker-b:4242',
  ): Promise<string> {
    const id = `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
    await insertJob(db, scope, {
      id,
      type: 'system.probe',
      payload: {},
      jurisdictionCode: '140525',
      createdBy: null,
    });
    if (status === 'running')
      await db.query(
        `UPDATE jobs SET status = 'running', worker = $2, started_at = now() - make_interval(secs => $3), heartbeat_at = now() - make_interval(secs => $3) WHERE id = $1`,
        [id, worker, agoSeconds],
      );
    return id;
  }
  const beatOf = async (id: string) =>
    (await db.query<{ t: Date }>('SELECT heartbeat_at AS t FROM jobs WHERE id = $1', [id]))[0].t;

  beforeAll(async () => {
    db = await backend.open();
    await seedFixtureRegion(db);
    services = buildServices({ db, dataDir: '/nonexistent-gengbao-test' });
  });
  afterAll(async () => {
    await services?.close();
    await db?.drop();
  });

  it('fails a running job silent for six beats with the worker and last heartbeat, and leaves the rest', async () => {
    const beatMs = 10_000;
    const dead = await job('running', (MISSED_BEATS * beatMs) / 1000 + 3600);
    const alive = await job('running', 5);
    const queued = await job('queued', 0);
    const found: string[][] = [];
    const stop = startDeadJobSweep(db, beatMs, (ids) => found.push(ids));
    try {
      await vi.waitFor(() => expect(found).toEqual([[dead]]), { timeout: 5000 });
    } finally {
      stop();
    }
    const failed = (await getJob(db, scope, dead))!;
    expect(failed.status).toBe('failed');
    expect(failed.finishedAt).toBeInstanceOf(Date);
    expect(failed.error?.code).toBe('internal');
    expect(failed.error?.message).toMatch(
      /the worker running this job stopped responding \(worker-b:4242, last heartbeat \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\); retry it/,
    );
    expect(failed.error?.message).toContain('执行任务的进程已停止响应');
    expect((await getJob(db, scope, alive))!.status).toBe('running');
    expect((await getJob(db, scope, queued))!.status).toBe('queued');
  });

  it('keepAlive stamps the heartbeat of a running job until stopped', async () => {
    const id = await job('running', 600);
    const before = await beatOf(id);
    const stop = keepAlive(db, id, 20);
    try {
      await vi.waitFor(
        async () =>
          expect((await beatOf(id)).getTime()).toBeGreaterThan(before.getTime() + 500_000),
        { timeout: 5000 },
      );
    } finally {
      stop();
    }
    // A beat in time keeps the sweep away.
    const found: string[][] = [];
    const stopSweep = startDeadJobSweep(db, 10_000, (ids) => found.push(ids));
    await new Promise((r) => setTimeout(r, 300));
    stopSweep();
    expect(found).toEqual([]);
    expect((await getJob(db, scope, id))!.status).toBe('running');
  });
});
