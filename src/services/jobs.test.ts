import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGengbaoError } from '../errors.ts';
import { EmbeddedRunner } from '../jobs/embedded-runner.ts';
import { seedFixtureRegion } from '../server/testing.ts';
import { finishJob } from '../store/jobs.ts';
import { Scope } from '../store/scope.ts';
import { testBackends } from '../store/testing.ts';
import { listUsers, principalOf, type Principal } from '../store/users.ts';
import { ThreadPool } from '../threads/pool.ts';
import { buildServices, type Services } from './container.ts';

async function refusal(
  p: () => Promise<unknown>,
): Promise<{ code: string; field?: string; message: string }> {
  const e = await Promise.resolve()
    .then(p)
    .then(
      () => null,
      (err: unknown) => err,
    );
  if (!isGengbaoError(e)) throw new Error(`expected a GengbaoError, got ${String(e)}`);
  return { code: e.code, field: e.field, message: e.message };
}

describe.each(testBackends())('JobService on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  let services: Services;
  let runner: EmbeddedRunner;
  const who: Record<string, Principal> = {};
  const allowed = mkdtempSync(join(tmpdir(), 'gengbao-jobs-allowed-'));
  const jobCount = async () =>
    Number((await db.query<{ n: string | number }>('SELECT count(*) AS n FROM jobs'))[0].n);

  beforeAll(async () => {
    db = await backend.open();
    await seedFixtureRegion(db);
    services = buildServices({ db, dataDir: '/nonexistent-gengbao-test', imageryAllow: allowed });
    // A supervisor of 泽州县: in scope of the county's jobs, but no monitoring role.
    await services.accounts.create(Scope.system(), {
      username: 'jiandu',
      displayName: 'jiandu',
      role: 'supervisor',
      jurisdictionCode: '140525',
      password: 'Qz7#tundra-lamp',
    });
    for (const u of await listUsers(db, Scope.system())) who[u.username] = principalOf(u);
  });
  afterAll(async () => {
    await runner?.stop();
    await services?.close();
    await db?.drop();
    rmSync(allowed, { recursive: true, force: true });
  });

  it('refuses submissions in a process with no runner', async () => {
    expect(services.jobs.kind).toBeNull();
    expect((await refusal(() => services.jobs.submit(who.province, 'system.probe', {}))).code).toBe(
      'internal',
    );
    runner = await EmbeddedRunner.start(db, services, { threads: new ThreadPool(1) });
    services.jobs.connect(runner);
    expect(services.jobs.kind).toBe('embedded');
  });

  it('refuses a role the type does not allow with forbidden, before anything is stored', async () => {
    for (const [user, type, payload] of [
      ['village', 'system.probe', {}],
      [
        'township',
        'detection.run',
        { period: '2026-11', before: join(allowed, 'a.tif'), after: join(allowed, 'b.tif') },
      ],
      // the year-end sweep is for the province, supervisors and administrators only
      ['zezhou', 'oversight.year-end', { year: 2026 }],
    ] as const) {
      const r = await refusal(() => services.jobs.submit(who[user], type, payload));
      expect(r, `${user} ${type}`).toMatchObject({ code: 'forbidden', field: 'type' });
      expect(r.message).toContain(type);
    }
    expect(await jobCount()).toBe(0);
  });

  it('checks the payload and the imagery allow-list before storing, for an allowed role', async () => {
    expect(
      await refusal(() =>
        services.jobs.submit(who.province, 'polygons.recompute-areas', { period: 'November' }),
      ),
    ).toMatchObject({ code: 'bad_input', field: 'payload.period' });
    expect(
      await refusal(() => services.jobs.submit(who.province, 'no.such-type', {})),
    ).toMatchObject({ code: 'bad_input', field: 'type' });
    const outside = { period: '2026-11', before: '/etc/passwd', after: join(allowed, 'b.tif') };
    expect(
      await refusal(() => services.jobs.submit(who.province, 'detection.run', outside)),
    ).toMatchObject({ code: 'forbidden', field: 'payload.before' });
    expect(await jobCount()).toBe(0);
  });

  it("stores an allowed job in the submitter's name and scope, and runs it", async () => {
    const job = await services.jobs.submit(who.zezhou, 'system.probe', { rounds: 1 });
    expect(['queued', 'running']).toContain(job.status);
    expect(job).toMatchObject({
      type: 'system.probe',
      jurisdictionCode: '140525',
      scopePrefix: '140525',
      createdBy: who.zezhou.id,
    });
    expect(job.payload).toEqual({ rounds: 1, holdMs: 0 });
    await runner.whenIdle();
    const [row] = await db.query<{ status: string }>('SELECT status FROM jobs WHERE id = $1', [
      job.id,
    ]);
    expect(row.status).toBe('succeeded');
  });

  it('retries only failed jobs, as a new job, only in scope and for an allowed role', async () => {
    const job = await services.jobs.submit(who.zezhou, 'system.probe', { rounds: 2 });
    await runner.whenIdle();
    expect((await refusal(() => services.jobs.retry(who.zezhou, job.id))).code).toBe('conflict');
    await finishJob(db, job.id, { error: { code: 'internal', message: 'worker lost' } });
    expect((await refusal(() => services.jobs.retry(who.gaoping, job.id))).code).toBe('not_found');
    expect((await refusal(() => services.jobs.retry(who.jiandu, job.id))).code).toBe('forbidden');
    const again = await services.jobs.retry(who.zezhou, job.id);
    expect(again.id).not.toBe(job.id);
    expect(again.payload).toEqual(job.payload);
    await runner.whenIdle();
    const rows = await db.query<{ id: string; status: string }>(
      'SELECT id, status FROM jobs WHERE id = ANY($1::uuid[]) ORDER BY id',
      [[job.id, again.id]],
    );
    expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({
      [job.id]: 'failed',
      [again.id]: 'succeeded',
    });
  });
});
