/**
 * The enforcement lifecycle as an explicit state machine (DOMAIN.md "The life of one
 * polygon"): `applyTransition` checks who may do what, from which state, with which evidence,
 * and returns the new state with the event to append; `replay` rebuilds the state from the
 * events, using the same reducer, so the state is always a projection of the record. Pure:
 * the time is a parameter and nothing here reads a clock, a database or the network.
 */
import { z } from 'zod';
import { GengbaoError } from '../errors.ts';
import type { CasesConfig } from './config.ts';
import { ACTIONS, InputSchemas, type Action } from './inputs.ts';
import { assertCovers, type Actor, type Role } from './roles.ts';
import {
  POLYGON_SOURCES,
  type CaseDeadline,
  type PolygonCaseState,
  type PolygonSource,
  type Status,
  type Trigger,
} from './states.ts';
import type { EventDraft, JsonObject } from './record.ts';
import type { TransitionContext, TransitionDef } from './transition-types.ts';
import { TRANSITIONS } from './transitions.ts';
import { parseOrThrow } from './validate.ts';

export const ENTITY_TYPE = 'polygon';

/** The payload of a lifecycle event (what `replay` reads back). */
export interface TransitionPayload {
  action: Action | 'found';
  from: Status | null;
  to: Status;
  version: number;
  role: Role;
  input: JsonObject;
  triggers: Trigger[];
}

export interface TransitionResult {
  state: PolygonCaseState;
  /** Append with `sealEvent(event, head)` in the same transaction as the state update. */
  event: EventDraft;
  triggers: Trigger[];
}

/** Who may report a polygon from each source (DOMAIN.md step 1). */
const FINDERS: Record<PolygonSource, readonly Role[]> = {
  detection: ['province_monitor', 'city_reviewer'],
  batch: ['province_monitor', 'city_reviewer'],
  patrol: ['village_chief', 'township_chief', 'county_officer'],
  tip: ['county_officer', 'city_reviewer', 'province_monitor'],
  video: ['county_officer', 'township_chief'],
  manual: ['county_officer', 'city_reviewer', 'province_monitor'],
};

const FoundInput = z.object({
  id: z.string().min(1),
  jurisdictionCode: z.string().regex(/^\d{6,20}$/, 'at least a county code'),
  source: z.enum(POLYGON_SOURCES),
  sourceRef: z.string().optional(),
  period: z.string().optional(),
});

/**
 * A new 图斑 in state `found`, version 1, with its `polygon.found` event.
 * @example createPolygonCase({ id: '42', jurisdictionCode: '140525', source: 'detection' }, monitor, new Date())
 */
export function createPolygonCase(input: unknown, actor: Actor, now: Date): TransitionResult {
  const data = parseOrThrow(FoundInput, input, 'found');
  if (!FINDERS[data.source].includes(actor.role)) {
    throw new GengbaoError(
      'forbidden',
      `a ${actor.role} may not report a polygon from source ${data.source}`,
      { field: 'role' },
    );
  }
  assertCovers(actor, data.jurisdictionCode);
  const payload: TransitionPayload = {
    action: 'found',
    from: null,
    to: 'found',
    version: 1,
    role: actor.role,
    input: data,
    triggers: [],
  };
  const event = draft(now, actor, data.id, data.jurisdictionCode, 'found', payload);
  return { state: applyEvent(undefined, event), event, triggers: [] };
}

/**
 * Takes `action` on a polygon. Checks, in order: the action exists (bad_input), the actor's
 * role (forbidden) and jurisdiction (forbidden_jurisdiction), the version the actor saw
 * (conflict when stale), the current state (conflict), the state-only conditions (conflict or
 * forbidden), the input's fields and evidence (bad_input naming the field), and the rules on
 * the input. Returns the new state, the event to append and what the action triggers; throws
 * GengbaoError and changes nothing otherwise.
 */
export function applyTransition(
  state: PolygonCaseState,
  action: string,
  input: unknown,
  actor: Actor,
  now: Date,
  config: CasesConfig,
): TransitionResult {
  const def = definitionOf(action);
  if (!def.roles.includes(actor.role)) {
    throw new GengbaoError(
      'forbidden',
      `${def.label} (${action}) is for ${def.roles.join(', ')}, not ${actor.role}`,
      { field: 'role' },
    );
  }
  assertCovers(actor, state.jurisdictionCode);
  assertVersion(state, input);
  if (!def.from.includes(state.status)) {
    throw new GengbaoError(
      'conflict',
      `${action} is not possible from ${state.status} (only from ${def.from.join(', ')})`,
      { field: 'status' },
    );
  }
  const ctx: TransitionContext = { actor, now: now.toISOString(), config };
  const refusal = def.available?.(state, ctx);
  if (refusal) throw refusal;
  const parsed = parseOrThrow(InputSchemas[def.action], input, action) as {
    version: number;
  } & JsonObject;
  // One cast at the table's seam: TypeScript cannot correlate an action with its own input type.
  const typed = def as TransitionDef<Action> & {
    guard?: (s: PolygonCaseState, i: unknown, c: TransitionContext) => void;
  };
  typed.guard?.(state, parsed, ctx);
  const triggers =
    (
      def.triggers as
        ((s: PolygonCaseState, i: unknown, c: TransitionContext) => Trigger[]) | undefined
    )?.(state, parsed, ctx) ?? [];
  const rest: JsonObject = { ...parsed };
  delete rest.version; // the concurrency token is the event's own version, not a fact
  const to = def.to === 'same' ? state.status : def.to;
  const payload: TransitionPayload = {
    action: def.action,
    from: state.status,
    to,
    version: state.version + 1,
    role: actor.role,
    input: rest,
    triggers,
  };
  const jurisdiction = def.action === 'push' ? String(rest.unitCode) : state.jurisdictionCode;
  const event = draft(now, actor, state.id, jurisdiction, def.action, payload);
  return { state: applyEvent(state, event), event, triggers };
}

export interface AvailableAction {
  action: Action;
  label: string;
  to: Status;
  /** JSON Schema of the input, for forms. */
  input: unknown;
}

/** The actions this actor can take on this polygon now (role, jurisdiction, state and state-only rules). */
export function allowedActions(
  state: PolygonCaseState,
  actor: Actor,
  config: CasesConfig,
  now: Date = new Date(0),
): AvailableAction[] {
  if (!state.jurisdictionCode.startsWith(actor.scope)) return [];
  const ctx: TransitionContext = { actor, now: now.toISOString(), config };
  return ACTIONS.filter((a) => {
    const def: TransitionDef<Action> = TRANSITIONS[a] as TransitionDef<Action>;
    return (
      def.roles.includes(actor.role) &&
      def.from.includes(state.status) &&
      def.available?.(state, ctx) === undefined
    );
  }).map((a) => ({
    action: a,
    label: TRANSITIONS[a].label,
    to: TRANSITIONS[a].to === 'same' ? state.status : (TRANSITIONS[a].to as Status),
    input: z.toJSONSchema(InputSchemas[a], { io: 'input', unrepresentable: 'any' }),
  }));
}

/**
 * Folds one lifecycle event into the state (the reducer shared by `applyTransition` and
 * `replay`). Throws db_corrupt when the event does not follow from the state.
 */
export function applyEvent(
  state: PolygonCaseState | undefined,
  event: EventDraft,
): PolygonCaseState {
  const p = event.payload as unknown as TransitionPayload;
  if (p.action === 'found') {
    if (state) throw corrupt(event, 'a second found event');
    const i = p.input as {
      id: string;
      jurisdictionCode: string;
      source: PolygonSource;
      sourceRef?: string;
      period?: string;
    };
    return {
      ...i,
      status: 'found',
      version: 1,
      found: { at: event.at, by: event.actorId ?? 'system', role: p.role },
      reviews: [],
      jointReview: [],
      decisionHistory: [],
      transfers: [],
      rechecks: [],
      majorReports: [],
      interferences: [],
      deadlines: [],
    };
  }
  if (!state) throw corrupt(event, 'an event before the found event');
  if (p.version !== state.version + 1 || p.from !== state.status) {
    throw corrupt(
      event,
      `version ${p.version} from ${p.from} does not follow version ${state.version} in ${state.status}`,
    );
  }
  const def = definitionOf(p.action) as TransitionDef<Action>;
  const fact = { ...p.input, at: event.at, by: event.actorId ?? 'system', role: p.role } as never;
  return {
    ...state,
    ...def.record(state, fact, p.triggers),
    status: p.to,
    version: p.version,
    deadlines: applyDeadlineTriggers(state.deadlines, p.triggers, event.at),
  };
}

/** The state of a polygon from its events, oldest first. */
export function replay(events: readonly EventDraft[]): PolygonCaseState {
  let s: PolygonCaseState | undefined;
  for (const e of events) s = applyEvent(s, e);
  if (!s) throw new GengbaoError('not_found', 'no events for this polygon');
  return s;
}

function applyDeadlineTriggers(
  deadlines: readonly CaseDeadline[],
  triggers: readonly Trigger[],
  at: string,
): CaseDeadline[] {
  let out = [...deadlines];
  for (const t of triggers) {
    if (t.kind !== 'start_deadline' && t.kind !== 'end_deadline') continue;
    // Starting a deadline that is already running restarts it: the old one ends now.
    out = out.map((d) =>
      d.kind === t.deadline && d.doneAt === undefined ? { ...d, doneAt: at } : d,
    );
    if (t.kind === 'start_deadline')
      out.push({ kind: t.deadline, scope: t.scope, startedAt: at, dueAt: t.dueAt });
  }
  return out;
}

function definitionOf(action: string): TransitionDef<Action> {
  if (!(ACTIONS as string[]).includes(action)) {
    throw new GengbaoError(
      'bad_input',
      `unknown action ${action} (one of: ${ACTIONS.join(', ')})`,
      { field: 'action' },
    );
  }
  return TRANSITIONS[action as Action] as TransitionDef<Action>;
}

function assertVersion(state: PolygonCaseState, input: unknown): void {
  const seen = (input as { version?: unknown } | null)?.version;
  if (typeof seen !== 'number' || !Number.isInteger(seen)) {
    throw new GengbaoError(
      'bad_input',
      'version: missing required field (the polygon version you acted on)',
      { field: 'version' },
    );
  }
  if (seen !== state.version) {
    throw new GengbaoError(
      'conflict',
      `polygon ${state.id} is at version ${state.version}, you acted on version ${seen}: reload and retry`,
      {
        field: 'version',
        details: { current: state.version, seen },
      },
    );
  }
}

function draft(
  now: Date,
  actor: Actor,
  id: string,
  jurisdictionCode: string,
  action: string,
  payload: TransitionPayload,
): EventDraft {
  return {
    at: now.toISOString(),
    actorId: actor.id,
    entityType: ENTITY_TYPE,
    entityId: id,
    jurisdictionCode,
    type: `${ENTITY_TYPE}.${action}`,
    payload: payload as unknown as JsonObject,
  };
}

function corrupt(event: EventDraft, why: string): GengbaoError {
  return new GengbaoError(
    'db_corrupt',
    `event ${event.type} of ${event.entityType} ${event.entityId}: ${why}`,
    { details: event },
  );
}
