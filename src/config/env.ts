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
});

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
