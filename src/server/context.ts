import type { Env } from '../config/env.ts';
import type { Services } from '../services/container.ts';
import type { ScopedStore } from '../store/scoped-store.ts';
import type { TileFiles } from '../store/tile-files.ts';
import type { Principal } from '../store/users.ts';
import type { TileEncoder } from './tiles/encoder.ts';

/** What the server is built from: the process's services (one composition root) and HTTP settings. */
export interface ServerDeps {
  services: Services;
  env: Pick<Env, 'GENGBAO_LOG_LEVEL'> & Partial<Pick<Env, 'GENGBAO_TRUST_PROXY'>>;
  /** Cookies get the Secure flag when served over HTTPS behind a proxy. */
  secureCookies?: boolean;
  /** Map tiles on disk (`<data dir>/tiles`, built ahead by tiles/prebuild.ts); absent: in memory only. */
  tileFiles?: TileFiles;
  /** Encodes vector tiles: `gengbao start` hands over its tile thread's; absent: on the calling thread. */
  tileEncoder?: TileEncoder;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The use cases; a route parses, calls one of them and shapes the reply. */
    services: Services;
    secureCookies: boolean;
    tileFiles: TileFiles | null;
    tileEncoder: TileEncoder;
  }
  interface FastifyRequest {
    principal: Principal | null;
    /** The store bound to the caller's jurisdiction, for reads in their scope. */
    store: ScopedStore | null;
    /** How the caller proved who they are: a browser session or an API token (which may not mint tokens). */
    credential: { kind: 'session' | 'api'; tokenId: number } | null;
  }
}
