import { z } from 'zod';
import { MONITORING_ROLES } from '../roles.ts';
import { defineJob } from '../types.ts';

/**
 * `monitoring.month`: one scheduled monitoring run — detection on the run's pair, 套合 of its
 * 图斑, 下发 to the grid's field chiefs with deadlines — each stage recorded on the run, so a
 * rerun (after a crash, or POST /api/jobs/:id/retry) continues and adds nothing twice. The
 * scheduler (src/jobs/scheduler.ts) submits it in the name of the unit's monitoring account.
 */
export const monitoringMonthJob = defineJob({
  type: 'monitoring.month',
  description:
    'Scheduled monitoring run: detect on the newest usable pair → 套合 → 下发 to the field chiefs',
  roles: MONITORING_ROLES,
  payload: z.object({ runId: z.number().int().positive() }),
  async run(ctx, p) {
    return ctx.services.monitoring.runMonth(ctx, p.runId, { workers: ctx.threads.size });
  },
});
