import { z } from 'zod';
import { MONITORING_ROLES } from '../roles.ts';
import { defineJob } from '../types.ts';

/**
 * `monitoring.recheck`: a newly registered scene re-checks the cases it covers that were
 * stopped, are being rectified or were closed as restored (src/services/recheck.ts). The
 * monitoring loop submits one per scene (claimed by the scene); a rerun skips every (case,
 * scene) already re-checked, so it adds nothing twice.
 */
export const monitoringRecheckJob = defineJob({
  type: 'monitoring.recheck',
  description: 'Re-check rectification on a new scene: restored, not restored, building resumed',
  roles: MONITORING_ROLES,
  payload: z.object({ imageryId: z.number().int().positive() }),
  async run(ctx, p) {
    return ctx.services.recheck.sweep(ctx, p.imageryId);
  },
});
