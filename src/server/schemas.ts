import { z } from 'zod';

/** Shapes shared by several routes. */
export const BBoxQuery = z
  .string()
  .regex(/^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$/, 'bbox must be minLon,minLat,maxLon,maxLat')
  .transform((s) => s.split(',').map(Number) as [number, number, number, number])
  .refine((b) => b[0] <= b[2] && b[1] <= b[3] && b[0] >= -180 && b[2] <= 180 && b[1] >= -90 && b[3] <= 90, 'bbox corners out of order or out of range');

export const UserView = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  role: z.string(),
  jurisdictionCode: z.string(),
  jurisdictionLevel: z.string(),
  jurisdictionName: z.string(),
});

export const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }) });
