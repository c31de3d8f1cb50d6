import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../../contract/views.ts';
import { principalOf } from '../guards.ts';

const Score = z.object({
  f1: z.number(),
  precision: z.number(),
  recall: z.number(),
  pixels: z.number(),
  falseAlarm: z.number().optional(),
});

/** One adapted model version as the history shows it (without its trees). */
const Version = z.object({
  id: z.number(),
  sensor: z.string(),
  shippedHash: z.string(),
  verdicts: z.number(),
  verdictsChange: z.number(),
  verdictsNoChange: z.number(),
  heldOut: z.number(),
  scenes: z.array(
    z.object({
      before: z.number(),
      after: z.number(),
      names: z.array(z.string()),
      verdicts: z.number(),
    }),
  ),
  scoreBefore: Score,
  scoreAfter: Score,
  adopted: z.boolean(),
  jurisdictionCode: z.string(),
  createdBy: z.number().nullable(),
  createdByName: z.string().nullable(),
  jobId: z.string().nullable(),
  createdAt: z.union([z.string(), z.date()]),
  rolledBackAt: z.union([z.string(), z.date()]).nullable(),
  rolledBackBy: z.number().nullable(),
  rolledBackByName: z.string().nullable(),
  /** In force now for its sensor (adopted, newest not rolled back, on this release's model). */
  active: z.boolean().optional(),
  /** Grown on the shipped model of this release (false after an upgrade changed it). */
  current: z.boolean().optional(),
});

const History = z.object({
  enabled: z.boolean(),
  sensors: z.array(
    z.object({
      sensor: z.string(),
      trainedOn: z.array(z.string()),
      inForce: z.number().nullable(),
    }),
  ),
  versions: z.array(Version),
});

/**
 * Learning from verdicts (src/services/detection-learning.ts): the history of the detection
 * models adapted to the installation's verdicts, rolling one back, and the switch that makes
 * detection use them. Learning itself is the `detection.learn` job (POST /api/jobs).
 */
export const detectionModelRoutes: FastifyPluginAsyncZod = async (app) => {
  const { learning } = app.services;

  app.get(
    '/api/detection-models',
    {
      schema: {
        tags: ['monitoring'],
        summary:
          'Detection models adapted to verdicts: every version with its history, which is in force, and whether detection uses them',
        response: { 200: History, 403: ErrorBody },
      },
    },
    async (req) => (await learning.history(principalOf(req))) as z.infer<typeof History>,
  );

  app.post(
    '/api/detection-models/:id/roll-back',
    {
      schema: {
        tags: ['monitoring'],
        summary:
          'Roll a model version back: the version before it (or the shipped model) is in force again',
        params: z.object({ id: z.coerce.number().int().positive() }),
        response: { 200: Version, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (req) =>
      (await learning.rollBack(principalOf(req), req.params.id)) as z.infer<typeof Version>,
  );

  app.put(
    '/api/detection-models/use',
    {
      schema: {
        tags: ['monitoring'],
        summary: 'Switch the use of adapted models in detection runs on or off',
        body: z.object({ enabled: z.boolean() }),
        response: { 200: z.object({ enabled: z.boolean() }), 403: ErrorBody },
      },
    },
    async (req) => learning.setEnabled(principalOf(req), req.body.enabled),
  );
};
