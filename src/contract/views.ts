/**
 * The API's reply shapes as zod: the OpenAPI document's response schemas, checked by the
 * server on every reply (fastify-type-provider-zod's serializer), and the browser apps' types
 * (`types.ts`). Records the store reads are described by their row declarations
 * (src/store/rows: each column carries its schema), so a field added there is documented,
 * checked and typed here without a second list. Pure zod: no node imports.
 */
import { z } from 'zod';
import type { EvidenceFlag as EvidenceFlagOf } from '../field/evidence.ts';
import type { Areal } from '../geo/types.ts';
import {
  STATUSES,
  type CaseDeadline,
  type PolygonCaseState,
  type Trigger as TriggerOf,
} from '../cases/states.ts';
import { ROLES } from '../cases/role-ids.ts';
import { ActionFormSchema } from '../cases/forms.ts';
import { STATS } from '../store/polygon-stats.ts';
import { EVENTS } from '../store/rows/events.ts';
import { FLAGS } from '../store/rows/field.ts';
import { IMAGERY } from '../store/rows/imagery.ts';
import { JOBS } from '../store/rows/jobs.ts';
import { JURISDICTIONS } from '../store/rows/jurisdictions.ts';
import { CAMERA_EVENTS, CAMERAS, TIPS } from '../store/rows/leads.ts';
import { NOTIFICATIONS } from '../store/rows/notifications.ts';
import { PUBLICATIONS, SPOT_CHECKS } from '../store/rows/oversight.ts';
import { POLYGONS } from '../store/rows/polygons.ts';
import { REFERENCE_LAYERS, REFERENCE_FEATURES } from '../store/rows/reference.ts';
import { USERS } from '../store/rows/users.ts';
import { LEAD_STATUSES } from './vocabulary.ts';

/** Every error reply (src/server/errors.ts). */
export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
});

/** A box as [minLon, minLat, maxLon, maxLat]. */
export const BBox = z.tuple([z.number(), z.number(), z.number(), z.number()]);

/** GeoJSON geometry: its coordinates are not checked again on the way out. */
export const Geometry = z.looseObject({
  type: z.string(),
  coordinates: z.unknown(),
}) as unknown as z.ZodType<Areal>;
/** A GeoJSON FeatureCollection of `properties`. */
export const featureCollection = <P extends z.ZodType>(properties: P) =>
  z.object({
    type: z.literal('FeatureCollection'),
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        id: z.union([z.string(), z.number()]),
        geometry: Geometry.nullish(),
        properties,
      }),
    ),
  });

/** A list reply. */
export const items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

/** The account as the app sees it: no phone, no disabled flag. */
export const UserView = USERS.schema.omit({ phone: true, disabled: true });
/** An account in the admin's list (phone included). */
export const UserRecord = USERS.schema;

export const Polygon = POLYGONS.schema;
export const PolygonEvent = EVENTS.schema;
/**
 * One 图斑 for its page: the record, the named units it lies in (nearest first), who acted in
 * the record by name and unit, and whether personal data in the record is whole or masked for
 * this caller (cases/personal-data.ts).
 */
export const PolygonDetail = POLYGONS.schema.extend({
  events: z.array(EVENTS.schema),
  places: z.array(z.object({ code: z.string(), level: z.string(), name: z.string() })),
  actors: z.record(
    z.string(),
    z.object({ displayName: z.string(), unitName: z.string(), role: z.string() }),
  ),
  personalData: z.enum(['full', 'masked']),
});
export const Jurisdiction = JURISDICTIONS.schema;
export const Job = JOBS.schema;
export const Notification = NOTIFICATIONS.schema;
export const Tip = TIPS.schema;
export const Camera = CAMERAS.schema.omit({ tokenHash: true });
export const CameraEvent = CAMERA_EVENTS.schema;
export const Flag = FLAGS.schema;
export const ReferenceLayer = REFERENCE_LAYERS.schema.extend({ featureCount: z.number() });
export const ReferenceFeature = REFERENCE_FEATURES.schema;
export const SpotCheck = SPOT_CHECKS.schema;
export const Publication = PUBLICATIONS.schema;

/** A scene with its tile URL (the file's location stays on the server). */
export const Imagery = IMAGERY.schema
  .omit({ uri: true })
  .extend({ role: z.string().nullable(), tiles: z.string() });

/**
 * The case state document (cases/states.ts PolygonCaseState): checked on its keys, passed
 * through open (it grows with the lifecycle), typed as the domain's interface.
 */
export const CaseState = z.looseObject({
  status: z.enum(STATUSES),
  version: z.number(),
  jurisdictionCode: z.string(),
}) as unknown as z.ZodType<PolygonCaseState>;

/** One action the state machine offers now: its input's JSON Schema, and the form a person fills in (cases/forms.ts). */
export const AvailableAction = z.object({
  action: z.string(),
  label: z.string(),
  to: z.enum(STATUSES),
  input: z.unknown(),
  form: ActionFormSchema,
});

/** The labels of the province's configured choices, by field and code (cases/forms.ts configuredChoiceWords). */
export const ConfiguredChoices = z.record(
  z.string(),
  z.record(z.string(), z.object({ zh: z.string(), en: z.string() })),
);

/** One transition of the lifecycle as data (GET /api/lifecycle). */
export const LifecycleTransition = z.object({
  action: z.string(),
  label: z.string(),
  from: z.array(z.enum(STATUSES)).readonly(),
  to: z.union([z.enum(STATUSES), z.literal('same')]),
  roles: z.array(z.enum(ROLES)).readonly(),
});

/** What a transition asks the system to do (cases/states.ts Trigger). */
export const Trigger = z.looseObject({ kind: z.string() }) as unknown as z.ZodType<TriggerOf>;

/** An evidence flag as raised (field/evidence.ts EvidenceFlag). */
export const EvidenceFlag = z.looseObject({
  kind: z.string(),
  message: z.string(),
}) as unknown as z.ZodType<EvidenceFlagOf>;

/** A search hit (store/search.ts). */
export const SearchHit = z.object({
  kind: z.enum(['polygon', 'jurisdiction']),
  id: z.string(),
  label: z.string(),
  detail: z.string(),
  bbox: BBox.nullable(),
});

/** One line of the dashboard's aggregate (store/polygon-stats.ts). */
export const PolygonStats = STATS.schema;

/** The public answer about a tip: status and dates, nothing internal. */
export const TipStatus = z.object({
  receipt: z.string(),
  status: z.enum(LEAD_STATUSES),
  createdAt: z.string(),
  triagedAt: z.string().nullable(),
});
/** The receipt of a sent tip. */
export const TipReceipt = z.looseObject({
  receipt: z.string(),
  status: z.enum(LEAD_STATUSES),
  createdAt: z.string(),
});
/** The outcome of a triage. */
export const TriageResult = z.object({
  id: z.number(),
  status: z.enum(LEAD_STATUSES),
  polygonId: z.number().nullable(),
});
/** The county outlines of the tip page's map. */
export const PublicRegion = featureCollection(
  z.object({ code: z.string(), name: z.string(), bbox: BBox.nullable() }),
);

/** A deadline running on a 图斑 (cases/states.ts CaseDeadline). */
export const Deadline = z.looseObject({
  kind: z.string(),
  dueAt: z.string(),
  startedAt: z.string(),
  doneAt: z.string().optional(),
}) as unknown as z.ZodType<CaseDeadline>;
