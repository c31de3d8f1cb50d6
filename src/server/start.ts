import type { FastifyInstance } from 'fastify';
import { anchorDirOf, loadEnv, type Env } from '../config/env.ts';
import { EmbeddedRunner } from '../jobs/embedded-runner.ts';
import { PgBossRunner } from '../jobs/pgboss-runner.ts';
import { startMonitoringLoop } from '../jobs/scheduler.ts';
import type { JobRunner } from '../jobs/runner.ts';
import type { Db } from '../store/db.ts';
import { ensureDemo } from '../demo/load.ts';
import { openMigratedDb } from '../store/open.ts';
import { buildServices, type Services } from '../services/container.ts';
import { chooseListenHost } from '../services/listen-host.ts';
import { writeAnchor } from '../services/record-anchors.ts';
import { redactUrl } from '../store/postgres.ts';
import { join } from 'node:path';
import { TileFiles } from '../store/tile-files.ts';
import { ThreadPool } from '../threads/pool.ts';
import { encodeTilesOn } from './tiles/encoder.ts';
import { startTilePrebuild } from './tiles/prebuild.ts';
import { buildApp } from './app.ts';

export interface Running {
  app: FastifyInstance;
  db: Db;
  services: Services;
  jobs: JobRunner;
  url: string;
  stop(): Promise<void>;
}

/**
 * `gengbao start`: open and migrate the database, load the demo region into an empty one,
 * start the job runner and listen. SIGTERM/SIGINT stop accepting requests, let running
 * requests and jobs finish, and close the database cleanly.
 */
export async function startServer(
  env: Env = loadEnv(),
  log: (msg: string) => void = console.log,
): Promise<Running> {
  const db = await openMigratedDb(env);
  log(
    env.DATABASE_URL
      ? `database: PostgreSQL at ${redactUrl(env.DATABASE_URL)}`
      : `database: embedded PGlite in ${env.GENGBAO_DATA_DIR}`,
  );
  if (env.GENGBAO_DEMO === 'auto') {
    const loaded = await ensureDemo(db, { dataDir: env.GENGBAO_DATA_DIR, log });
    if (loaded)
      log(
        `demo region loaded: ${loaded.jurisdictions} jurisdictions, ${loaded.features} reference features, ${loaded.polygons} 图斑`,
      );
  }
  // The one composition root of this process: the routes, the job runner and the deadline scan share it.
  const services = buildServices({
    db,
    dataDir: env.GENGBAO_DATA_DIR,
    authPolicy: {
      sessionHours: env.GENGBAO_SESSION_HOURS,
      maxFailures: env.GENGBAO_LOGIN_MAX_FAILURES,
      windowMinutes: env.GENGBAO_LOGIN_WINDOW_MINUTES,
      tokenDays: env.GENGBAO_TOKEN_DAYS,
    },
    imageryAllow: env.GENGBAO_IMAGERY_ALLOW,
    incomingDir: env.GENGBAO_INCOMING_DIR,
    stacCatalogs: env.GENGBAO_STAC_CATALOGS,
    stacPolicy: { maxAssetBytes: env.GENGBAO_STAC_MAX_ASSET_MB * 1024 * 1024 },
    webhookAllow: env.GENGBAO_WEBHOOK_ALLOW,
  });
  const heartbeatMs = env.GENGBAO_JOB_HEARTBEAT_SECONDS * 1000;
  const jobs: JobRunner = env.DATABASE_URL
    ? await PgBossRunner.start(db, env.DATABASE_URL, {
        policy: { imageryAllow: services.imageryAllow },
        heartbeatMs,
      })
    : await EmbeddedRunner.start(db, services, {
        concurrency: env.GENGBAO_JOB_CONCURRENCY,
        heartbeatMs,
      });
  services.jobs.connect(jobs);
  const tileFiles = new TileFiles(join(env.GENGBAO_DATA_DIR, 'tiles'));
  // One thread encodes vector tiles (tiles/encoder.ts), for requests and the pass built ahead
  // alike: this thread keeps to the queries and the replies. One, not one per core: the
  // database (PGlite) and the HTTP replies keep this thread's core busy under load.
  const tileThreads = new ThreadPool(1);
  const tileEncoder = encodeTilesOn(tileThreads);
  const app = await buildApp({ services, env, tileFiles, tileEncoder });
  const listen = await chooseListenHost(db, env.HOST);
  if (listen.note) log(listen.note);
  await app.listen({ port: env.PORT, host: listen.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  const url = `http://localhost:${port}`;
  log(`Gengbao is serving ${url} (listening on ${listen.host}; jobs: ${jobs.kind})`);

  // Deadlines (reminders before, escalation after) are scanned hourly; the scan is idempotent,
  // so several servers on one database may all run it.
  const scan = () =>
    services.cases.scanDeadlines().catch((e) => app.log.error({ err: e }, 'deadline scan failed'));
  const timer = setInterval(scan, 3600_000);
  timer.unref();
  void scan();
  // The record's head is anchored outside the database at start and daily, so `audit verify`
  // can tell a truncated or rewritten chain from an honest one.
  const anchor = () =>
    writeAnchor(db, anchorDirOf(env)).catch((e) =>
      app.log.error({ err: e }, 'writing the record anchor failed'),
    );
  const anchorTimer = setInterval(anchor, 24 * 3600_000);
  anchorTimer.unref();
  void anchor();
  // Photos of public tips never taken up are deleted after the retention time (SECURITY.md
  // "Tip storage"); the sweep is idempotent, so several servers may all run it.
  const sweep = () =>
    services.fieldLeads
      .sweepTipPhotos()
      .then((r) => r.tips && app.log.info(r, 'expired tip photos deleted'))
      .catch((e) => app.log.error({ err: e }, 'the tip photo sweep failed'));
  const sweepTimer = setInterval(sweep, 24 * 3600_000);
  sweepTimer.unref();
  void sweep();
  // The monitoring loop: new scenes from the watched folder, scheduled runs, subscriptions,
  // webhooks and digests, without a click; safe beside workers that run it too.
  const loop =
    env.GENGBAO_LOOP_SECONDS > 0
      ? startMonitoringLoop(services, {
          intervalMs: env.GENGBAO_LOOP_SECONDS * 1000,
          log: (m) => app.log.error(m),
        })
      : null;

  // Low-zoom map tiles built ahead onto disk whenever a data stamp moves (tiles/prebuild.ts).
  const tilesAhead = startTilePrebuild(
    db,
    tileFiles,
    (r) => app.log.info(r, 'map tiles built ahead'),
    (e) => app.log.error({ err: e }, 'building map tiles ahead failed'),
    { encode: tileEncoder },
  );

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      clearInterval(timer);
      clearInterval(anchorTimer);
      clearInterval(sweepTimer);
      await loop?.stop();
      await tilesAhead.stop();
      await app.close();
      await tileThreads.close();
      await jobs.stop();
      await services.close();
      await db.close();
    })());
  return { app, db, services, jobs, url, stop };
}

/** Installs SIGTERM/SIGINT handlers that stop the server gracefully and exit. */
export function exitOnSignals(running: Running, log: (msg: string) => void = console.log): void {
  const onSignal = (signal: string) => {
    log(`${signal}: shutting down gracefully`);
    running.stop().then(
      () => process.exit(0),
      (e) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
}
