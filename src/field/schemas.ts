/**
 * What the field app, the public tip page and cameras send, as zod schemas (validated at the
 * HTTP edge; the server route uses them as its body schemas). Photos travel as base64 inside
 * the JSON document: one submission is one atomic document the phone can queue, retry and
 * replay as a whole (see src/server/routes/field.ts for why not multipart).
 */
import { z } from 'zod';

const Instant = z.iso.datetime({ offset: true });
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'SHA-256 as 64 lowercase hex digits');
const Text = z.string().trim().min(1).max(4000);
/** Base64 of the file; the size limit is checked on the decoded bytes (config.maxPhotoBytes). */
const Base64 = z
  .string()
  .min(4)
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64 (standard alphabet)');
const Lon = z.number().min(-180).max(180);
const Lat = z.number().min(-90).max(90);

/** One photo as captured: bytes, the hash computed on the phone at capture, and where/when. */
export const CapturedPhoto = z.object({
  data: Base64,
  sha256: Sha256,
  lon: Lon,
  lat: Lat,
  accuracyM: z.number().min(0).max(100000).optional(),
  heading: z.number().min(0).max(360).optional(),
  takenAt: Instant,
});
export type CapturedPhoto = z.infer<typeof CapturedPhoto>;

/** A field verification (核查举证), optionally with the on-site stop (制止) taken at the visit. */
export const FieldSubmission = z.object({
  /** Generated on the phone when the form is saved; a retry or replay carries the same id. */
  id: z.uuid(),
  polygonId: z.int().positive(),
  version: z.int().min(1),
  form: z.object({
    onGround: z.string().trim().max(200).optional(),
    description: Text,
    visitedAt: Instant,
    projectName: z.string().max(200).optional(),
    builder: z.string().max(200).optional(),
    buildDate: z.string().max(40).optional(),
    use: z.string().max(200).optional(),
    stop: z
      .object({
        method: z.enum(['on_site', 'stop_order']),
        orderNo: z.string().max(100).optional(),
        stoppedAt: Instant,
        what: z.string().max(1000).optional(),
      })
      .optional(),
  }),
  photos: z.array(CapturedPhoto).min(1),
});
export type FieldSubmission = z.infer<typeof FieldSubmission>;

export const TrackPoint = z.object({
  lon: Lon,
  lat: Lat,
  at: Instant,
  accuracyM: z.number().min(0).optional(),
});
export type TrackPoint = z.infer<typeof TrackPoint>;

/** A building spotted on patrol (巡田发现): a footprint or a point, with photos. */
export const PatrolFinding = z.object({
  id: z.uuid(),
  lon: Lon,
  lat: Lat,
  geometry: z
    .object({
      type: z.literal('Polygon'),
      coordinates: z.array(z.array(z.array(z.number()).min(2)).min(4)).min(1),
    })
    .optional(),
  description: Text,
  photos: z.array(CapturedPhoto).min(1),
});

/** A public tip (举报): place, photos, description; contact only when the tipster wants it. */
export const PublicTip = z.object({
  lon: Lon,
  lat: Lat,
  description: Text,
  photos: z
    .array(z.object({ data: Base64 }))
    .max(6)
    .default([]),
  anonymous: z.boolean().default(true),
  contact: z
    .object({
      name: z.string().trim().max(100).optional(),
      phone: z
        .string()
        .trim()
        .regex(/^[0-9+\- ]{5,20}$/, 'a phone number')
        .optional(),
    })
    .optional(),
});

/** A video-surveillance alarm from a registered camera. */
export const CameraEvent = z.object({
  eventId: z.string().trim().min(1).max(100),
  at: Instant,
  snapshot: Base64,
  lon: Lon,
  lat: Lat,
  bearing: z.number().min(0).max(360).optional(),
  label: z.string().max(200).optional(),
});
