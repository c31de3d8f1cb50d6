import { z } from 'zod';

/** Request shapes shared by several routes. */
export const BBoxQuery = z
  .string()
  .regex(/^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$/, 'bbox must be minLon,minLat,maxLon,maxLat')
  .transform((s) => s.split(',').map(Number) as [number, number, number, number])
  .refine(
    (b) => b[0] <= b[2] && b[1] <= b[3] && b[0] >= -180 && b[2] <= 180 && b[1] >= -90 && b[3] <= 90,
    'bbox corners out of order or out of range',
  );

/** Reply shapes live in src/contract (shared with the browser apps). */
export { ErrorBody, UserView } from '../contract/views.ts';

/** Replies of routes that only confirm. */
export const Ok = z.object({ ok: z.literal(true) });
