import { z } from 'zod';
import { GengbaoError } from '../errors.ts';

/**
 * Field-evidence rules, configuration not constants (docs/DOMAIN.md "Configuration": what differs by province or year
 * is configuration). Stored under the setting `field.config`; every key is optional there and
 * falls back to these national defaults.
 */
export const FieldConfigSchema = z.object({
  /** A site photo must be taken within this geodesic distance of the 图斑 (0 = inside). */
  maxDistanceM: z.number().positive().default(200),
  /** A photo's time may precede the push by this much (phone clocks drift). */
  clockSkewMinutes: z.number().min(0).default(10),
  /** Largest accepted photo file. Phone JPEGs are 2–6 MB; 12 MB leaves room without inviting video. */
  maxPhotoBytes: z
    .int()
    .positive()
    .default(12 * 1024 * 1024),
  maxPhotosPerSubmission: z.int().positive().default(12),
  /** GPS fixes worse than this are flagged (the position cannot prove presence). */
  maxAccuracyM: z.number().positive().default(100),
  /** Public tips per client address per hour before the flood is refused. */
  tipsPerHourPerIp: z.int().positive().default(5),
  /** Side of the square footprint drawn around a point report (patrol, tip, camera), metres. */
  pointFootprintM: z.number().positive().default(30),
});
export type FieldConfig = z.infer<typeof FieldConfigSchema>;

/** The configuration in force: defaults overlaid with what the installation stored. */
export function resolveFieldConfig(stored: unknown): FieldConfig {
  const r = FieldConfigSchema.safeParse(stored ?? {});
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new GengbaoError(
      'bad_input',
      `setting field.config.${issue.path.join('.')}: ${issue.message}`,
      { field: `field.config.${issue.path.join('.')}` },
    );
  }
  return r.data;
}
