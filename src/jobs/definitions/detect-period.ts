import { z } from 'zod';
import { SENSOR_IDS } from '../../detect/profiles.ts';
import { assertImageryAllowed } from '../../services/imagery-allow.ts';
import { MONITORING_ROLES } from '../roles.ts';
import { defineJob } from '../types.ts';

const Payload = z
  .object({
    period: z.string().regex(/^\d{4}-\d{2}$/, 'period must look like 2026-11'),
    /** Stored imagery ids … */
    beforeImagery: z.number().int().positive().optional(),
    afterImagery: z.number().int().positive().optional(),
    /** … or paths / URLs of the scenes (a file, a band folder, a COG URL). */
    before: z.string().min(1).optional(),
    after: z.string().min(1).optional(),
    sensor: z.enum(SENSOR_IDS).default('s2'),
    bands: z.array(z.string()).optional(),
    minAreaM2: z.number().min(0).optional(),
    chips: z.boolean().default(true),
    /**
     * 'learned': the trained classifier shipped for the sensor (s2 and rgb; src/detect/README.md);
     * 'auto': that classifier where the scene is within its domain, the rules elsewhere;
     * absent: the sensor's default (learned for s2, auto for rgb, rules for the others).
     */
    classifier: z.enum(['rules', 'learned', 'auto']).optional(),
    /** Ground resolution (m) to classify at, finer imagery averaged onto it; 0: the imagery's own; absent: the sensor's (rgb 0.5 m). */
    workingResolutionM: z.number().min(0).optional(),
    /** Each date's radiometric offset in stored units (ESA's BOA_ADD_OFFSET: −1000 for Sentinel-2 from processing baseline 04.00); absent: what the files declare or their product names imply, else 0. */
    addOffset: z
      .object({ before: z.number().finite().optional(), after: z.number().finite().optional() })
      .optional(),
  })
  .refine((p) => (p.before && p.after) || (p.beforeImagery && p.afterImagery), {
    message: 'give before and after (paths) or beforeImagery and afterImagery (ids)',
    path: ['before'],
  });

/**
 * `detection.run`: change detection on a before/after pair (stored imagery or paths) by the
 * detection service, which stores the change polygons as 图斑 of source `detection` for the
 * period with their cases opened in the submitter's name (monitoring analysts).
 */
export const detectPeriodJob = defineJob({
  type: 'detection.run',
  description:
    'Detect farmland turned into buildings, roads or bare soil on a before/after pair; store the 图斑',
  roles: MONITORING_ROLES,
  payload: Payload,
  // Paths and URLs only from the administrator's allow-list; registered scenes need none.
  admit(p, policy) {
    if (p.before) assertImageryAllowed(p.before, policy.imageryAllow, 'payload.before');
    if (p.after) assertImageryAllowed(p.after, policy.imageryAllow, 'payload.after');
  },
  async run(ctx, p) {
    return ctx.services.detection.detect(ctx, p, { workers: ctx.threads.size });
  },
});
