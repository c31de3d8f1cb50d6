/**
 * Reply shapes of the field endpoints (phone app, patrols, evidence): built from the row
 * declarations where the reply is a record, open (`looseObject`) where it carries documents
 * the phone stores as they are (forms, figures, chips).
 */
import { z } from 'zod';
import type { PolygonCaseState } from '../cases/states.ts';
import { FIELD_TASKS } from '../store/rows/polygons.ts';
import type { TaskWindow } from '../field/evidence.ts';
import type { StoredPhoto } from '../store/rows/field.ts';
import { Deadline, EvidenceFlag, Flag } from './views.ts';

export { EvidenceFlag };

/** A field task: a pushed or returned 图斑 with its open deadlines and task window. */
export const FieldTask = FIELD_TASKS.schema
  .pick({
    id: true,
    code: true,
    status: true,
    version: true,
    areaMu: true,
    jurisdictionCode: true,
    bbox: true,
    geometry: true,
  })
  .extend({
    deadlines: z.array(Deadline),
    window: (z.looseObject({}) as unknown as z.ZodType<TaskWindow>).nullable(),
  });

/** Everything the phone needs to verify one 图斑 offline. */
export const TaskPackage = z.object({
  polygon: FieldTask.extend({ source: FIELD_TASKS.columns.source.schema, period: z.string() }),
  figures: z.object({
    analysis: (
      z.looseObject({}) as unknown as z.ZodType<NonNullable<PolygonCaseState['analysis']>>
    ).nullable(),
    properties: z.record(z.string(), z.unknown()),
  }),
  deadlines: z.array(Deadline),
  chips: z.array(
    z.object({
      imageryId: z.number(),
      name: z.string(),
      role: z.string().nullable(),
      acquiredOn: z.string().nullable(),
      tiles: z.array(z.object({ z: z.number(), x: z.number(), y: z.number(), png: z.string() })),
    }),
  ),
  rules: z.object({
    minPhotos: z.number().optional(),
    maxDistanceM: z.number(),
    maxPhotoBytes: z.number(),
    maxAccuracyM: z.number(),
  }),
  form: z.looseObject({
    fields: z
      .array(
        z.looseObject({
          name: z.string(),
          label: z.string(),
          type: z.string(),
          required: z.boolean().optional(),
          options: z.array(z.string()).readonly().optional(),
        }),
      )
      .readonly(),
  }),
  downloadedAt: z.string(),
});

/** The answer to a verification submission (services/field.ts SubmissionResult). */
export const SubmissionResult = z.object({
  id: z.string(),
  polygonId: z.number(),
  status: z.literal('accepted'),
  state: z.object({ status: z.string(), version: z.number() }),
  photos: z.array(z.looseObject({ sha256: z.string() }) as unknown as z.ZodType<StoredPhoto>),
  flags: z.array(EvidenceFlag),
  stopRecorded: z.boolean(),
  stopError: z.object({ code: z.string(), message: z.string() }).optional(),
  replayed: z.boolean(),
});

/** Field evidence of a 图斑 for its page. */
export const PolygonEvidence = z.object({
  polygonId: z.number(),
  flagged: z.boolean(),
  submissions: z.array(
    z.object({
      id: z.string(),
      status: z.string(),
      userId: z.number(),
      receivedAt: z.string(),
      form: z.record(z.string(), z.unknown()),
      photos: z.array(z.looseObject({ sha256: z.string(), url: z.string() })),
    }),
  ),
  flags: z.array(Flag.extend({ at: z.string() })),
});

const FlagCounts = z.object({
  submissions: z.number(),
  flaggedSubmissions: z.number(),
  byKind: z.record(z.string(), z.number()),
});
/** Evidence flags per county for a period. */
export const FlagStats = z.object({
  period: z.string().nullable(),
  total: FlagCounts,
  counties: z.array(FlagCounts.extend({ county: z.string() })),
});

export const PatrolStarted = z.object({ id: z.number(), startedAt: z.string() });
export const PatrolTrack = z.object({ id: z.number(), points: z.number(), lengthM: z.number() });
export const PatrolEnded = PatrolTrack.extend({ endedAt: z.string() });
export const FindingResult = z.object({
  polygonId: z.number(),
  replayed: z.boolean(),
  flags: z.array(EvidenceFlag),
});
export const PatrolStats = z.object({
  weeks: z.number(),
  chiefs: z.array(
    z.object({
      userId: z.number(),
      username: z.string(),
      jurisdictionCode: z.string(),
      weeksWithPatrol: z.number(),
      weeks: z.number(),
      rate: z.number(),
      patrols: z.number(),
    }),
  ),
  meanRate: z.number().nullable(),
});
