import type { Db } from '../store/db.ts';
import { schemaVersion } from '../store/system.ts';
import type { JobService } from './jobs.ts';

/** How long a check waits for a fresh probe before answering from the last one. */
const WAIT_MS = 250;
/** A probe older than this is refreshed (in the background) by the next check. */
const REFRESH_MS = 1000;
/** A last good probe older than this no longer vouches for the database: the check waits. */
const STALE_MS = 5000;

interface Probe {
  at: number;
  reachable: boolean;
  version: number | null;
}

/**
 * Liveness and readiness in one: does the database answer, at which schema version.
 *
 * Under load the probe's query waits its turn behind every list and tile query (PGlite runs one
 * at a time), so a check that always waited for it timed out exactly when a monitor needed an
 * answer (issue 25: /api/health timing out at 200 connections). Probes are now shared: one at
 * a time, started by a check when the last is over a second old; a check waits at most 250 ms
 * for it and otherwise answers from the last probe while that is under 5 s old. A database
 * that is down fails its probe at once (connection refused, a closed PGlite), so the outage
 * still answers 503 on the first check; one that hangs goes 503 once its last probe is 5 s old.
 */
export class HealthService {
  private last: Probe | null = null;
  private running: Promise<Probe> | null = null;

  constructor(
    private readonly db: Db,
    private readonly jobs: JobService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async check() {
    const p = await this.current();
    return {
      status: p.reachable ? ('ok' as const) : ('degraded' as const),
      database: { kind: this.db.kind, reachable: p.reachable, schemaVersion: p.version },
      // The server connects its runner before it listens, so a served check always has one.
      jobs: { runner: this.jobs.kind! },
      version: '0.1.0',
      time: this.now().toISOString(),
    };
  }

  private async current(): Promise<Probe> {
    const last = this.last;
    const age = last ? Date.now() - last.at : Infinity;
    if (last?.reachable && age < REFRESH_MS) return last;
    const probe = this.probe();
    // A good probe under 5 s old vouches while the fresh one waits in the database's queue.
    if (!last?.reachable || age >= STALE_MS) return probe;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((ok) => (timer = setTimeout(() => ok(null), WAIT_MS)));
    const fresh = await Promise.race([probe, late]);
    clearTimeout(timer);
    return fresh ?? last;
  }

  /** One probe at a time; concurrent checks share it. */
  private probe(): Promise<Probe> {
    this.running ??= (async () => {
      try {
        const version = await schemaVersion(this.db);
        return { at: Date.now(), reachable: true, version };
      } catch {
        return { at: Date.now(), reachable: false, version: null };
      }
    })().then((p) => {
      this.last = p;
      this.running = null;
      return p;
    });
    return this.running;
  }
}
