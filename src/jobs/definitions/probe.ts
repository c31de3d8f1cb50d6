import { hostname } from 'node:os';
import { z } from 'zod';
import { MONITORING_ROLES } from '../roles.ts';
import { defineJob } from '../types.ts';

/**
 * `system.probe`: proves a worker end to end — queue delivery, a worker thread, progress
 * reporting and result storage — without touching user data. Operators run it after adding a
 * worker machine; the tests use it to see jobs spread over several workers.
 */
export const probeJob = defineJob({
  type: 'system.probe',
  description: 'Check a worker end to end: SHA-256 rounds on a worker thread, progress, result',
  roles: MONITORING_ROLES,
  payload: z.object({
    rounds: z.number().int().min(1).max(1_000_000).default(1000),
    holdMs: z.number().int().min(0).max(10_000).default(0),
  }),
  async run(ctx, payload) {
    await ctx.progress(0.1, 'hashing on a worker thread');
    const digest = await ctx.threads.run<string>(
      new URL('../compute/probe-hash.ts', import.meta.url),
      'hashRounds',
      payload.rounds,
    );
    if (payload.holdMs) await new Promise((r) => setTimeout(r, payload.holdMs));
    await ctx.progress(0.9, 'done hashing');
    return { digest, host: hostname(), pid: process.pid };
  },
});
