import { hostname } from 'node:os';
import PgBoss from 'pg-boss';
import type { Services } from '../services/container.ts';
import type { Db } from '../store/db.ts';
import { executeJob } from './execute.ts';
import { createJobRow, readBack, type JobRunner, type Submitter } from './runner.ts';
import { ThreadPool } from '../threads/pool.ts';

/** The one pg-boss queue: it carries job ids; the jobs table carries everything else. */
export const QUEUE = 'gengbao-jobs';

async function startBoss(url: string): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: url, max: 4 });
  boss.on('error', (e) => console.error('pg-boss:', e.message));
  await boss.start();
  await boss.createQueue(QUEUE);
  return boss;
}

/** Server mode, submitting side: store the job row, then hand its id to pg-boss. */
export class PgBossRunner implements JobRunner {
  readonly kind = 'pg-boss' as const;

  private constructor(
    private readonly db: Db,
    private readonly boss: PgBoss,
  ) {}

  static async start(db: Db, url: string): Promise<PgBossRunner> {
    return new PgBossRunner(db, await startBoss(url));
  }

  async submit(by: Submitter, type: string, payload: Record<string, unknown>) {
    const id = await createJobRow(this.db, by, type, payload);
    await this.boss.send(QUEUE, { jobId: id }, { retryLimit: 0 });
    return readBack(this.db, by, id);
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true });
  }
}

/**
 * A `gengbao worker` process: takes job ids from pg-boss (SKIP LOCKED, so each job goes to
 * exactly one worker on any machine) and runs them with a local thread pool.
 */
export async function startWorker(db: Db, url: string, services: Services, opts: { concurrency?: number; name?: string } = {}): Promise<{ name: string; stop(): Promise<void> }> {
  const boss = await startBoss(url);
  const threads = new ThreadPool();
  const name = opts.name ?? `${hostname()}:${process.pid}`;
  const concurrency = opts.concurrency ?? 2;
  for (let i = 0; i < concurrency; i++) {
    await boss.work<{ jobId: string }>(QUEUE, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => {
      await executeJob(db, services, threads, job.data.jobId, name);
    });
  }
  return {
    name,
    async stop() {
      await boss.stop({ graceful: true, wait: true });
      await threads.close();
    },
  };
}
