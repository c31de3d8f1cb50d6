import type { Env } from '../config/env.ts';
import type { JobRunner } from '../jobs/runner.ts';
import type { Db } from '../store/db.ts';
import type { ScopedStore } from '../store/scoped-store.ts';
import type { Principal } from '../store/users.ts';
import type { AuthService } from './auth-service.ts';

/** What the server is built from; tests pass their own (in-memory db, fixed clock). */
export interface ServerDeps {
  db: Db;
  env: Pick<Env, 'GENGBAO_SESSION_HOURS' | 'GENGBAO_LOGIN_MAX_FAILURES' | 'GENGBAO_LOGIN_WINDOW_MINUTES' | 'GENGBAO_LOG_LEVEL'>;
  jobs: JobRunner;
  now?: () => Date;
  /** GENGBAO_DATA_DIR: imagery, evidence chips. */
  dataDir?: string;
  /** Cookies get the Secure flag when served over HTTPS behind a proxy. */
  secureCookies?: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: ServerDeps;
    auth: AuthService;
  }
  interface FastifyRequest {
    principal: Principal | null;
    /** The store bound to the caller's jurisdiction; the only data access a route gets. */
    store: ScopedStore | null;
  }
}
