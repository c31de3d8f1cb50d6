import { isIP } from 'node:net';
import { join } from 'node:path';
import { z } from 'zod';
import { GengbaoError } from '../errors.ts';

/**
 * Every environment variable Gengbao reads, validated once at start. The README's
 * "Configuration" table lists the same names and defaults; keep them in step.
 */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Absent: 0.0.0.0, or 127.0.0.1 while accounts with the published demo password exist. */
  HOST: z.string().optional(),
  DATABASE_URL: z.string().url().optional(),
  GENGBAO_DATA_DIR: z.string().default('./data'),
  /** Where record anchors are written (outside the database); absent: <GENGBAO_DATA_DIR>/anchors. */
  GENGBAO_ANCHOR_DIR: z.string().optional(),
  GENGBAO_DEMO: z.enum(['auto', 'off']).default('auto'),
  GENGBAO_SESSION_HOURS: z.coerce.number().positive().default(12),
  GENGBAO_JOB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  GENGBAO_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
  GENGBAO_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  GENGBAO_LOGIN_WINDOW_MINUTES: z.coerce.number().positive().default(15),
  /**
   * Folders (absolute) and http(s) origins that detection jobs may read imagery from by path
   * or URL, comma-separated; absent: registered scenes only (src/services/imagery-allow.ts).
   */
  GENGBAO_IMAGERY_ALLOW: z.string().optional(),
  /** Seconds between a running job's heartbeats; a job silent for 6 of them is failed as dead. */
  GENGBAO_JOB_HEARTBEAT_SECONDS: z.coerce.number().positive().max(3600).default(10),
  /**
   * The reverse proxies whose X-Forwarded-For is believed: addresses or CIDRs, comma-separated
   * (or loopback, linklocal, uniquelocal). Absent: none, so a client cannot name its own
   * address and slip past the per-address limits.
   */
  GENGBAO_TRUST_PROXY: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    )
    .refine(
      (list) => list.every(isProxyAddress),
      'a comma-separated list of IP addresses or CIDRs (e.g. 10.0.0.5,192.168.1.0/24)',
    )
    .optional(),
  /** Days an API token lives when its creator names no shorter time. */
  GENGBAO_TOKEN_DAYS: z.coerce.number().int().min(1).max(366).default(90),
  /** The watched folder new scenes are taken in from; absent: <GENGBAO_DATA_DIR>/incoming. */
  GENGBAO_INCOMING_DIR: z.string().optional(),
  /**
   * STAC catalogs (static catalog, collection or item-collection JSON) new scenes are taken in
   * from, comma-separated http(s) addresses; each must be allowed by GENGBAO_IMAGERY_ALLOW, as
   * must every asset they name. Absent: none.
   */
  GENGBAO_STAC_CATALOGS: z.string().optional(),
  /** The largest STAC asset copied in, in MiB. */
  GENGBAO_STAC_MAX_ASSET_MB: z.coerce.number().int().min(1).max(1_048_576).default(4096),
  /** Seconds between ticks of the monitoring loop (intake, scheduled runs, notices, webhooks); 0: no loop in this process. */
  GENGBAO_LOOP_SECONDS: z.coerce.number().min(0).max(86400).default(30),
  /** http(s) origins, comma-separated, that area-subscription webhooks may be sent to; absent: no webhooks. */
  GENGBAO_WEBHOOK_ALLOW: z.string().optional(),
});

function isProxyAddress(p: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(p)) return true;
  const [addr, bits, ...rest] = p.split('/');
  if (rest.length || !isIP(addr)) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (isIP(addr) === 4 ? 32 : 128);
}

export type Env = z.infer<typeof EnvSchema>;

export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const clean = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = EnvSchema.safeParse(clean);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue.path[0] ?? '');
    throw new GengbaoError('bad_input', `invalid environment variable ${field}: ${issue.message}`, {
      field,
    });
  }
  return parsed.data;
}

/** The folder of record anchors: GENGBAO_ANCHOR_DIR, else `anchors/` in the data directory. */
export function anchorDirOf(env: Pick<Env, 'GENGBAO_ANCHOR_DIR' | 'GENGBAO_DATA_DIR'>): string {
  return env.GENGBAO_ANCHOR_DIR ?? join(env.GENGBAO_DATA_DIR, 'anchors');
}
