import { z } from 'zod';
import { LEARNING_ROLES } from '../../services/detection-learning.ts';
import { defineJob } from '../types.ts';

/**
 * `detection.learn`: adapt a sensor's shipped detection model to the verdicts given on the
 * 图斑 it detected in the submitter's jurisdiction, and store it as a new version with its
 * history (src/services/detection-learning.ts). Province monitors and administrators only:
 * the model is the installation's, used by every detection run once switched on.
 */
export const detectionLearnJob = defineJob({
  type: 'detection.learn',
  description:
    'Learn from verdicts: adapt the detection model to the judged 图斑 and store a new version',
  roles: LEARNING_ROLES,
  payload: z.object({
    sensor: z.enum(['s2', 'rgb']).default('s2'),
  }),
  async run(ctx, p) {
    return ctx.services.learning.learn(ctx, p);
  },
});
