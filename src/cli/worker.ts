import type { Command } from 'commander';
import { loadEnv } from '../config/env.ts';
import { GengbaoError } from '../errors.ts';
import { startWorker } from '../jobs/pgboss-runner.ts';
import { startMonitoringLoop } from '../jobs/scheduler.ts';
import { buildServices } from '../services/container.ts';
import { openMigratedDb } from '../store/open.ts';

export function register(program: Command): void {
  program
    .command('worker')
    .description(
      'Run queued jobs from a PostgreSQL server (needs DATABASE_URL); start any number, on any machine',
    )
    .option('-c, --concurrency <n>', 'jobs at a time in this process', '2')
    .option('--name <name>', 'worker name recorded on each job (default host:pid)')
    .action(async (opts: { concurrency: string; name?: string }) => {
      const env = loadEnv();
      if (!env.DATABASE_URL) {
        throw new GengbaoError(
          'bad_input',
          'gengbao worker needs DATABASE_URL: embedded mode runs jobs inside `gengbao start`',
          { field: 'DATABASE_URL' },
        );
      }
      const db = await openMigratedDb(env);
      // This process's composition root: every job it runs works through these services.
      const services = buildServices({
        db,
        dataDir: env.GENGBAO_DATA_DIR,
        imageryAllow: env.GENGBAO_IMAGERY_ALLOW,
        incomingDir: env.GENGBAO_INCOMING_DIR,
        stacCatalogs: env.GENGBAO_STAC_CATALOGS,
        stacPolicy: { maxAssetBytes: env.GENGBAO_STAC_MAX_ASSET_MB * 1024 * 1024 },
        webhookAllow: env.GENGBAO_WEBHOOK_ALLOW,
      });
      const worker = await startWorker(db, env.DATABASE_URL, services, {
        concurrency: Number(opts.concurrency),
        name: opts.name,
        heartbeatMs: env.GENGBAO_JOB_HEARTBEAT_SECONDS * 1000,
        policy: { imageryAllow: services.imageryAllow },
      });
      console.log(`worker ${worker.name} waiting for jobs`);
      // Workers tick the monitoring loop too (scheduled runs are claimed in the database, so
      // each happens once): its runs are submitted through the queue like any job.
      services.jobs.connect(worker.submitter);
      const loop =
        env.GENGBAO_LOOP_SECONDS > 0
          ? startMonitoringLoop(services, { intervalMs: env.GENGBAO_LOOP_SECONDS * 1000 })
          : null;
      const stop = async (signal: string) => {
        console.log(`${signal}: finishing running jobs`);
        await loop?.stop();
        await worker.stop();
        await services.close();
        await db.close();
        process.exit(0);
      };
      process.once('SIGTERM', () => void stop('SIGTERM'));
      process.once('SIGINT', () => void stop('SIGINT'));
    });
}
