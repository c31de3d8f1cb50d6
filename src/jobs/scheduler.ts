import type { Services } from '../services/container.ts';

/** What one tick of the loop did, step by step (a step that failed says why). */
export interface TickReport {
  intake?: Awaited<ReturnType<Services['intake']['scan']>>;
  stac?: Awaited<ReturnType<Services['stacIntake']['poll']>>;
  schedule?: Awaited<ReturnType<Services['monitoring']['schedule']>>;
  recheck?: Awaited<ReturnType<Services['recheck']['schedule']>>;
  notices?: Awaited<ReturnType<Services['notices']['fanOut']>>;
  webhooks?: Awaited<ReturnType<Services['webhooks']['deliverDue']>>;
  digest?: Awaited<ReturnType<Services['notices']['digest']>>;
  errors: string[];
}

export interface MonitoringLoop {
  /** One tick now (tests; the timer calls the same); waits for a tick already running. */
  tick(): Promise<TickReport>;
  stop(): Promise<void>;
}

/**
 * The in-process scheduler of the monitoring loop: every `intervalMs` it takes in new scenes
 * from the watched folder and the STAC catalogs (each polled at its own interval), starts the monitoring runs that are due (and resumes interrupted
 * ones), fans new 图斑 and notices out to area subscriptions, sends due webhooks and writes
 * yesterday's digests. `gengbao start` runs it in both modes and every `gengbao worker` runs it
 * too: each step claims its work in the database (unique keys, compare-and-swap, SKIP LOCKED),
 * so however many processes tick, each scene is registered once, each run happens once and
 * each notice is sent once. Ticks never overlap within a process.
 */
export function startMonitoringLoop(
  services: Services,
  opts: { intervalMs: number; log?: (message: string) => void },
): MonitoringLoop {
  const log = opts.log ?? ((m: string) => console.error(m));
  let running: Promise<TickReport> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  const step = async <T>(
    name: string,
    report: TickReport,
    f: () => Promise<T>,
  ): Promise<T | undefined> => {
    try {
      return await f();
    } catch (e) {
      const message = `${name}: ${(e as Error).message}`;
      report.errors.push(message);
      log(`monitoring loop: ${message}`);
      return undefined;
    }
  };
  const once = async (): Promise<TickReport> => {
    const r: TickReport = { errors: [] };
    r.intake = await step('intake', r, () => services.intake.scan());
    r.stac = await step('stac', r, () => services.stacIntake.poll());
    r.schedule = await step('schedule', r, () => services.monitoring.schedule());
    r.recheck = await step('recheck', r, () => services.recheck.schedule());
    r.notices = await step('notices', r, () => services.notices.fanOut());
    r.webhooks = await step('webhooks', r, () => services.webhooks.deliverDue());
    r.digest = await step('digest', r, () => services.notices.digest());
    return r;
  };
  const tick = (): Promise<TickReport> => (running ??= once().finally(() => (running = null)));
  const arm = () => {
    if (stopped) return;
    timer = setTimeout(() => void tick().finally(arm), opts.intervalMs);
    timer.unref();
  };
  arm();
  return {
    tick,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
