import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFixtureRegion } from '../server/testing.ts';
import { buildServices, type Services } from '../services/container.ts';
import { getJob, insertJob } from '../store/jobs.ts';
import { Scope } from '../store/scope.ts';
import { testBackends } from '../store/testing.ts';
import { listUsers } from '../store/users.ts';
import { ThreadPool } from '../threads/pool.ts';
import { executeJob } from './execute.ts';
import { createJobRow } from './runner.ts';

describe.each(testBackends())('executeJob on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  let services: Services;
  const threads = new ThreadPool(1);
  const dir = mkdtempSync(join(tmpdir(), 'gengbao-execute-'));
  const county = {
    scope: new Scope('140525'),
    jurisdictionCode: '140525',
    userId: null as number | null,
    role: 'county_officer' as const,
  };
  const logged: string[] = [];
  const run = (id: string) =>
    executeJob(db, services, threads, id, 'test-worker', { log: (m) => logged.push(m) });
  const submit = (type: string, payload: Record<string, unknown>) =>
    createJobRow(db, county, type, payload, { imageryAllow: services.imageryAllow });

  beforeAll(async () => {
    db = await backend.open();
    await seedFixtureRegion(db);
    services = buildServices({ db, dataDir: dir, imageryAllow: dir });
    county.userId = (await listUsers(db, Scope.system())).find((u) => u.username === 'zezhou')!.id;
  });
  afterAll(async () => {
    await threads.close();
    await services?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores the result and full progress of a job that succeeds, once', async () => {
    const id = await submit('system.probe', { rounds: 3 });
    expect(await run(id)).toBe(true);
    const job = (await getJob(db, county.scope, id))!;
    expect(job).toMatchObject({
      status: 'succeeded',
      progress: 1,
      message: 'done hashing',
      worker: 'test-worker',
      error: null,
    });
    expect(job.result).toMatchObject({
      digest: expect.stringMatching(/^[0-9a-f]{64}$/),
      pid: process.pid,
    });
    expect(job.finishedAt).toBeInstanceOf(Date);
    // Already claimed: a second delivery does nothing.
    expect(await run(id)).toBe(false);
  });

  it('stores the code of a GengbaoError and its message with server paths cut', async () => {
    const bad = join(dir, 'corrupt.tif');
    writeFileSync(bad, Buffer.from('II*\0garbage that is not a tiff'));
    const id = await submit('detection.run', {
      period: '2026-09',
      before: bad,
      after: bad,
      sensor: 's2',
    });
    expect(await run(id)).toBe(true);
    const job = (await getJob(db, county.scope, id))!;
    expect(job.status).toBe('failed');
    expect(job.result).toBeNull();
    expect(job.error!.code).toBe('unsupported');
    expect(job.error!.message).toContain('…/corrupt.tif');
    expect(job.error!.message).not.toContain(dir);
    // The full message goes to the log only.
    expect(logged.some((m) => m.includes(id) && m.includes(dir))).toBe(true);
    expect((await db.query(`SELECT 1 FROM polygons WHERE period = '2026-09'`)).length).toBe(0);
  });

  it('fails a stored job whose type or payload is no longer valid with bad_input, naming it', async () => {
    const unknown = '00000000-0000-4000-8000-000000000001';
    await insertJob(db, county.scope, {
      id: unknown,
      type: '/srv/gengbao/plugins/evil',
      payload: {},
      jurisdictionCode: '140525',
      createdBy: null,
    });
    await run(unknown);
    const a = (await getJob(db, county.scope, unknown))!;
    expect(a).toMatchObject({ status: 'failed', error: { code: 'bad_input' } });
    expect(a.error!.message).toContain('unknown job type …/evil');
    expect(a.error!.message).not.toContain('/srv/gengbao');

    const stale = '00000000-0000-4000-8000-000000000002';
    await insertJob(db, county.scope, {
      id: stale,
      type: 'polygons.recompute-areas',
      payload: { period: 'Nov 2026' },
      jurisdictionCode: '140525',
      createdBy: null,
    });
    await run(stale);
    expect((await getJob(db, county.scope, stale))!.error).toMatchObject({
      code: 'bad_input',
      message: expect.stringMatching(/period must look like 2026-11/),
    });
  });
});
