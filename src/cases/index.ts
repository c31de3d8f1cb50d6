/**
 * The public face of the cases domain: the enforcement lifecycle, its configuration, the
 * tamper-evident record, deadlines, spot checks and oversight duties. Store, server, jobs and
 * CLI import from here; the files behind it are one concept each.
 */
export { ROLES, assertCovers, type Actor, type Role } from './roles.ts';
export {
  CasesConfigSchema,
  DEFAULT_CASES_CONFIG,
  resolveCasesConfig,
  type CasesConfig,
  type CasesConfigOverride,
} from './config.ts';
export {
  DEADLINE_KINDS,
  DeadlineConfigSchema,
  DEFAULT_DEADLINE_CONFIG,
  type DeadlineConfig,
  type DeadlineKind,
  type DeadlineRule,
} from './deadline-config.ts';
export { dueAt, endOfLocalDate, isWorkingDay } from './calendar.ts';
export {
  STATUSES,
  POLYGON_SOURCES,
  type PolygonCaseState,
  type PolygonSource,
  type Status,
  type Trigger,
  type Audience,
  type CaseDeadline,
  type Stamp,
} from './states.ts';
export {
  ACTIONS,
  InputSchemas,
  MEASURE_KINDS,
  TRANSFER_OUTCOMES,
  type TransferOutcome,
  type Action,
  type InputOf,
  type Measure,
  type MeasureKind,
} from './inputs.ts';
export {
  ENTITY_TYPE,
  applyTransition,
  allowedActions,
  applyEvent,
  createPolygonCase,
  describeLifecycle,
  inputJsonSchema,
  replay,
  workStatuses,
  type AvailableAction,
  type TransitionPayload,
  type TransitionResult,
} from './lifecycle.ts';
export { TRANSITIONS } from './transitions.ts';
export {
  ActionFormSchema,
  FormFieldSchema,
  WIDGETS,
  configuredChoiceWords,
  describeForm,
  withDrawnSpotChecks,
  type ActionFormDescription,
  type DrawnSpotCheck,
  type FormField,
  type Widget,
} from './forms.ts';
export { ACTION_EN, type Bilingual } from './form-labels.ts';
export { PERSONAL_DATA_ROLES, maskPersonalData, seesPersonalData } from './personal-data.ts';
export { lifecycleMermaid } from './diagram.ts';
export {
  canonicalJson,
  chainHead,
  hashEvent,
  sealEvent,
  EMPTY_CHAIN,
  GENESIS_HASH,
  type ChainHead,
  type EventDraft,
  type Json,
  type JsonObject,
  type RecordedEvent,
} from './record.ts';
export {
  ChainVerifier,
  verifyChain,
  type StreamOptions,
  type ChainVerdict,
  type TamperKind,
  type VerifyOptions,
} from './chain-verify.ts';
export {
  deadlineItemsOf,
  evaluateDeadlines,
  type DeadlineItem,
  type DeadlineReport,
  type Escalation,
  type OverdueFlag,
  type Reminder,
} from './deadlines.ts';
export {
  drawSpotCheck,
  stratumSize,
  SPOTCHECK_ALGORITHM,
  type SpotCheckItem,
  type SpotCheckPlan,
  type SpotCheckSample,
} from './spotcheck.ts';
export {
  assessMajorCase,
  LAYER_AGRICULTURAL,
  LAYER_FARMLAND,
  LAYER_PERMANENT_BASIC_FARMLAND,
  type MajorAssessment,
} from './major-cases.ts';
export { jointReviewStatus, type JointReviewStatus, type SignOff } from './joint-review.ts';
export { IRREVERSIBLE_MEASURES } from './decision-rules.ts';
export {
  maskIdNumber,
  maskName,
  maskPhone,
  maskText,
  publicNoticeOf,
  type PublicNotice,
} from './public-notice.ts';
