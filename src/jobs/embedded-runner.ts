import type { Services } from '../services/container.ts';
import type { Db } from '../store/db.ts';
import { failInterruptedJobs, queuedJobIds } from '../store/jobs.ts';
import { executeJob } from './execute.ts';
import { createJobRow, readBack, type JobRunner, type Submitter } from './runner.ts';
import { ThreadPool } from '../threads/pool.ts';

/**
 * Embedded mode: jobs run inside the server process, `concurrency` at a time, their heavy
 * parts on a worker-thread pool. Queued jobs survive a restart (they are rows); jobs that
 * were running when the process died are failed with a clear reason.
 */
export class EmbeddedRunner implements JobRunner {
  readonly kind = 'embedded' as const;
  private readonly pending: string[] = [];
  private active = 0;
  private readonly idleWaiters: Array<() => void> = [];
  private stopped = false;

  private constructor(
    private readonly db: Db,
    private readonly services: Services,
    readonly threads: ThreadPool,
    private readonly concurrency: number,
    private readonly heartbeatMs?: number,
  ) {}

  /** Starts running jobs (queued ones first) with the process's services. */
  static async start(
    db: Db,
    services: Services,
    opts: { concurrency?: number; threads?: ThreadPool; heartbeatMs?: number } = {},
  ): Promise<EmbeddedRunner> {
    const runner = new EmbeddedRunner(
      db,
      services,
      opts.threads ?? new ThreadPool(),
      opts.concurrency ?? 2,
      opts.heartbeatMs,
    );
    await failInterruptedJobs(db);
    runner.pending.push(...(await queuedJobIds(db)));
    runner.pump();
    return runner;
  }

  async submit(by: Submitter, type: string, payload: Record<string, unknown>) {
    const id = await createJobRow(this.db, by, type, payload, {
      imageryAllow: this.services.imageryAllow,
    });
    this.pending.push(id);
    this.pump();
    return readBack(this.db, by, id);
  }

  private pump(): void {
    while (!this.stopped && this.active < this.concurrency && this.pending.length) {
      const id = this.pending.shift()!;
      this.active++;
      executeJob(this.db, this.services, this.threads, id, `embedded:${process.pid}`, {
        heartbeatMs: this.heartbeatMs,
      })
        .catch(() => {})
        .finally(() => {
          this.active--;
          this.pump();
          if (this.active === 0 && this.pending.length === 0)
            this.idleWaiters.splice(0).forEach((r) => r());
        });
    }
  }

  /** Resolves when no job is queued or running (tests, graceful shutdown). */
  whenIdle(): Promise<void> {
    if (this.active === 0 && this.pending.length === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.active > 0) await new Promise<void>((r) => this.idleWaiters.push(r));
    await this.threads.close();
  }
}
