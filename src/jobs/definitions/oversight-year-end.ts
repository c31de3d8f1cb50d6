import { z } from 'zod';
import { defineJob } from '../types.ts';

/**
 * `oversight.year-end`: the year-end sweep of sanctions (自然资办发〔2021〕33号 §3) in the
 * submitter's jurisdiction: cases of the year not restored by 31 December raise a quota
 * deduction and, on permanent basic farmland, a 补划 duty. Idempotent: run again, it raises
 * only what is new. Province monitors, supervisors and administrators submit it: it books on
 * the counties' ledgers, which no county may do for itself.
 */
export const oversightYearEndJob = defineJob({
  type: 'oversight.year-end',
  description: '年终清查: quota deductions and 补划 duties for cases not restored by year end',
  roles: ['province_monitor', 'supervisor', 'admin'],
  payload: z.object({ year: z.int().min(2000).max(2200) }),
  async run(ctx, payload) {
    return ctx.services.sanctions.runYearEnd(ctx, payload.year);
  },
});
