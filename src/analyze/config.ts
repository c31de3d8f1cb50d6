import { z } from 'zod';
import { LAYER_KINDS, type LayerKind } from './kinds.ts';

export { LAYER_KINDS, PERMIT_KINDS, type LayerKind } from './kinds.ts';

/**
 * How the pieces of one layer inside a polygon add up: `sum` for survey partitions (farmland,
 * permanent basic farmland and red-line parcels do not overlap by rule, and summing is what
 * the national survey software and PostGIS scripts do), `union` for documents, which overlap
 * (two approvals for one site must not count twice).
 */
export const overlapRule = z.enum(['sum', 'union']);

export const analysisConfigSchema = z.object({
  /** Intersection-over-union at or above which a polygon of an earlier period is linked as a repeat. */
  iouThreshold: z.number().min(0).max(1).default(0.5),
  /** Areas below this (m²) count as nothing: slivers from shared edges and digitising noise. */
  minAreaM2: z.number().min(0).default(1),
  /** Share of a polygon covered by approvals/permits from which it is 已批 rather than 部分已批. */
  approvedShare: z.number().min(0).max(1).default(0.95),
  overlaps: z
    .object(
      Object.fromEntries(LAYER_KINDS.map((k) => [k, overlapRule])) as Record<
        LayerKind,
        typeof overlapRule
      >,
    )
    .default({
      farmland: 'sum',
      pbf: 'sum',
      redline: 'sum',
      approval: 'union',
      facility: 'union',
      temporary: 'union',
      homestead: 'union',
    }),
  /** Jurisdiction feature properties holding the admin code (GB/T 2260) and name. */
  jurisdictionCodeField: z.string().default('code'),
  jurisdictionNameField: z.string().default('name'),
});

export type AnalysisConfig = z.infer<typeof analysisConfigSchema>;

/** Validated configuration with national defaults; bad values throw a ZodError naming the field. */
export function analysisConfig(input: unknown = {}): AnalysisConfig {
  return analysisConfigSchema.parse(input);
}
