import { hostname } from 'node:os';
import PgBoss from 'pg-boss';
import type { Services } from '../services/container.ts';
import { NO_IMAGERY_ALLOWED } from '../services/imagery-allow.ts';
import type { Db } from '../store/db.ts';
import { executeJob } from './execute.ts';
import { DEFAULT_HEARTBEAT_MS, startDeadJobSweep } from './heartbeat.ts';
import { createJobRow, readBack, type JobRunner, type Submitter } from './runner.ts';
import type { JobPolicy } from './types.ts';
import { ThreadPool } from '../threads/pool.ts';

/** The one pg-boss queue: it carries job ids; the jobs table carries everything else. */
export const QUEUE = 'gengbao-jobs';

async function startBoss(url: string): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: url, max: 4 });
  boss.on('error', (e) => console.error('pg-boss:', e.message));
  await boss.start();
  // Two processes starting together (a server and its workers) both create the queue; pg-boss's
  // insert-or-ignore of the queue row can then deadlock in PostgreSQL (40P01, seen with two `gengbao worker`
  // started at once). Creating it is idempotent, so the loser simply tries again.
  for (let attempt = 1; ; attempt++) {
    try {
      await boss.createQueue(QUEUE);
      return boss;
    } catch (e) {
      if ((e as { code?: string }).code !== '40P01' || attempt >= 5) throw e;
      await new Promise((r) => setTimeout(r, 50 * attempt + Math.random() * 100));
    }
  }
}

/** What a queue process is started with; every field has a safe default. */
export interface QueueOptions {
  /** What submissions are admitted under (default: imagery from registered scenes only). */
  policy?: JobPolicy;
  /** Milliseconds between a running job's heartbeats; jobs silent for 6 of them are failed. */
  heartbeatMs?: number;
}

/**
 * Server mode, submitting side: store the job row, then hand its id to pg-boss. It also
 * sweeps for jobs whose worker died (no heartbeat), so they fail instead of running for ever.
 */
export class PgBossRunner implements JobRunner {
  readonly kind = 'pg-boss' as const;

  private constructor(
    private readonly db: Db,
    private readonly boss: PgBoss,
    private readonly policy: JobPolicy,
    private readonly stopSweep: () => void,
  ) {}

  /** The submitting side of a `gengbao worker`: its own pg-boss connection, no sweep of its own to stop. */
  static forWorker(db: Db, boss: PgBoss, policy: JobPolicy): PgBossRunner {
    return new PgBossRunner(db, boss, policy, () => {});
  }

  static async start(db: Db, url: string, opts: QueueOptions = {}): Promise<PgBossRunner> {
    const boss = await startBoss(url);
    const stopSweep = startDeadJobSweep(db, opts.heartbeatMs ?? DEFAULT_HEARTBEAT_MS, (ids) =>
      console.error(`jobs failed, their worker stopped responding: ${ids.join(', ')}`),
    );
    return new PgBossRunner(
      db,
      boss,
      opts.policy ?? { imageryAllow: NO_IMAGERY_ALLOWED },
      stopSweep,
    );
  }

  async submit(by: Submitter, type: string, payload: Record<string, unknown>) {
    const id = await createJobRow(this.db, by, type, payload, this.policy);
    await this.boss.send(QUEUE, { jobId: id }, { retryLimit: 0 });
    return readBack(this.db, by, id);
  }

  async stop(): Promise<void> {
    this.stopSweep();
    await this.boss.stop({ graceful: true, wait: true });
  }
}

/**
 * A `gengbao worker` process: takes job ids from pg-boss (SKIP LOCKED, so each job goes to
 * exactly one worker on any machine) and runs them with a local thread pool.
 */
export async function startWorker(
  db: Db,
  url: string,
  services: Services,
  opts: { concurrency?: number; name?: string; heartbeatMs?: number; policy?: JobPolicy } = {},
): Promise<{ name: string; submitter: JobRunner; stop(): Promise<void> }> {
  const boss = await startBoss(url);
  const threads = new ThreadPool();
  const name = opts.name ?? `${hostname()}:${process.pid}`;
  const concurrency = opts.concurrency ?? 2;
  const heartbeatMs = opts.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  for (let i = 0; i < concurrency; i++) {
    await boss.work<{ jobId: string }>(
      QUEUE,
      { batchSize: 1, pollingIntervalSeconds: 0.5 },
      async ([job]) => {
        await executeJob(db, services, threads, job.data.jobId, name, { heartbeatMs });
      },
    );
  }
  // Workers sweep too: another worker's death is found even while no server is up.
  const stopSweep = startDeadJobSweep(db, heartbeatMs);
  return {
    name,
    // Jobs a worker submits itself (the monitoring loop's runs) go through its own connection.
    submitter: PgBossRunner.forWorker(
      db,
      boss,
      opts.policy ?? { imageryAllow: NO_IMAGERY_ALLOWED },
    ),
    async stop() {
      stopSweep();
      await boss.stop({ graceful: true, wait: true });
      await threads.close();
    },
  };
}
