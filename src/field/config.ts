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
  /** Public tips per client address per 24 hours. */
  tipsPerDayPerIp: z.int().positive().default(20),
  /** Photos on one public tip, and the largest one (phone JPEGs are 2–6 MB). */
  tipMaxPhotos: z.int().min(0).max(12).default(6),
  tipMaxPhotoBytes: z
    .int()
    .positive()
    .default(8 * 1024 * 1024),
  /** All photos of one tip together. */
  tipMaxBytes: z
    .int()
    .positive()
    .default(20 * 1024 * 1024),
  /** Tip photo bytes one client address may send per 24 hours. */
  tipPhotoBytesPerDayPerIp: z
    .int()
    .positive()
    .default(60 * 1024 * 1024),
  /** Tip photo bytes all tipsters together may send per 24 hours (a flood from many addresses). */
  tipPhotoBytesPerDay: z
    .int()
    .positive()
    .default(1024 * 1024 * 1024),
  /** Cap on tip photos kept at once; past it tips are taken without photos until the sweep frees room. */
  tipPhotoBytesStored: z
    .int()
    .positive()
    .default(20 * 1024 * 1024 * 1024),
  /** Days after rejection, or after receipt with no triage, that a tip's photos are deleted. */
  tipPhotoRetentionDays: z.int().positive().default(90),
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
