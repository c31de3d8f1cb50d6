import { z } from 'zod';
import { MONITORING_ROLES } from '../roles.ts';
import { defineJob } from '../types.ts';

/**
 * `polygons.recompute-areas`: recomputes the ellipsoidal area (m², 亩) of every 图斑 of a
 * period in the submitter's jurisdiction — after a geometry correction or an area-rule
 * change. The geometry maths of each page runs on the thread pool.
 */
export const recomputeAreasJob = defineJob({
  type: 'polygons.recompute-areas',
  description: 'Recompute ellipsoidal areas (m², 亩) of the 图斑 of a monitoring period',
  roles: MONITORING_ROLES,
  payload: z.object({ period: z.string().regex(/^\d{4}-\d{2}$/, 'period must look like 2026-11') }),
  async run(ctx, payload) {
    return ctx.services.areas.recomputePeriod(ctx, payload.period, (geometries) =>
      ctx.threads.run<number[]>(
        new URL('../compute/areas.ts', import.meta.url),
        'areasOf',
        geometries,
      ),
    );
  },
});
