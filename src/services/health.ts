import type { Db } from '../store/db.ts';
import { schemaVersion } from '../store/system.ts';
import type { JobService } from './jobs.ts';

/** Liveness and readiness in one: does the database answer, at which schema version. */
export class HealthService {
  constructor(
    private readonly db: Db,
    private readonly jobs: JobService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async check() {
    let reachable = true;
    let version: number | null = null;
    try {
      version = await schemaVersion(this.db);
    } catch {
      reachable = false;
    }
    return {
      status: reachable ? ('ok' as const) : ('degraded' as const),
      database: { kind: this.db.kind, reachable, schemaVersion: version },
      // The server connects its runner before it listens, so a served check always has one.
      jobs: { runner: this.jobs.kind! },
      version: '0.1.0',
      time: this.now().toISOString(),
    };
  }
}
