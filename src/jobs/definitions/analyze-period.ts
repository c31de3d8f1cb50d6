import { z } from 'zod';
import { MONITORING_ROLES } from '../roles.ts';
import { defineJob } from '../types.ts';

/**
 * `analysis.period`: 套合 of a monitoring period's 图斑 in the submitter's jurisdiction (the
 * analysis service): the store's features near the 图斑 stream past them in batches, the event
 * loop turning between batches so the server keeps answering.
 */
export const analyzePeriodJob = defineJob({
  type: 'analysis.period',
  description: '套合: overlay a period’s 图斑 with farmland, permanent basic farmland, approvals…',
  roles: MONITORING_ROLES,
  payload: z.object({ period: z.string().regex(/^\d{4}-\d{2}$/, 'period must look like 2026-11') }),
  async run(ctx, payload) {
    return ctx.services.analysis.analysePeriod(ctx, payload.period);
  },
});
