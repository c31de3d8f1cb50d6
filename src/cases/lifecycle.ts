/**
 * The enforcement lifecycle as an explicit state machine (docs/DOMAIN.md
 * "The lifecycle"): `applyTransition` checks who may do what, from which state, with which evidence,
 * and returns the new state with the event to append, built by the same reducer that
 * `replay` uses (reducer.ts), so the state is always a projection of the record. Pure:
 * the time is a parameter and nothing here reads a clock, a database or the network.
 */
import { z } from 'zod';
import { GengbaoError } from '../errors.ts';
import type { CasesConfig } from './config.ts';
import { ACTIONS, InputSchemas, type Action } from './inputs.ts';
import { describeForm, prefilled, type ActionFormDescription } from './forms.ts';
import { suggestedInput } from './suggested-inputs.ts';
import { assertCovers, type Actor, type Role } from './roles.ts';
import {
  POLYGON_SOURCES,
  STATUSES,
  type PolygonCaseState,
  type PolygonSource,
  type Status,
  type Trigger,
} from './states.ts';
import type { EventDraft, JsonObject } from './record.ts';
import type { TransitionContext, TransitionDef } from './transition-types.ts';
import { TRANSITIONS } from './transitions.ts';
import { applyEvent, definitionOf, ENTITY_TYPE, type TransitionPayload } from './reducer.ts';

export { applyEvent, replay, ENTITY_TYPE, type TransitionPayload } from './reducer.ts';
import { parseOrThrow } from './validate.ts';

export interface TransitionResult {
  state: PolygonCaseState;
  /** Append with `sealEvent(event, head)` in the same transaction as the state update. */
  event: EventDraft;
  triggers: Trigger[];
}

/** Who may report a polygon from each source (docs/DOMAIN.md "图斑 and their sources"). */
const FINDERS: Record<PolygonSource, readonly Role[]> = {
  detection: ['province_monitor', 'city_reviewer'],
  batch: ['province_monitor', 'city_reviewer'],
  patrol: ['village_chief', 'township_chief', 'county_officer'],
  tip: ['county_officer', 'city_reviewer', 'province_monitor'],
  video: ['county_officer', 'township_chief'],
  manual: ['county_officer', 'city_reviewer', 'province_monitor'],
  // Handed over from above with a document, entered by the offices that receive them.
  inspectorate: ['supervisor', 'province_monitor', 'city_reviewer'],
  media: ['supervisor', 'province_monitor', 'city_reviewer'],
  higher_authority: ['supervisor', 'province_monitor', 'city_reviewer'],
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
      `您的角色不能办理「${def.label}」 / ${def.label} (${action}) is for ${def.roles.join(', ')}, not ${actor.role}`,
      { field: 'role' },
    );
  }
  assertCovers(actor, state.jurisdictionCode);
  assertVersion(state, input);
  if (!def.from.includes(state.status)) {
    throw new GengbaoError(
      'conflict',
      `图斑当前状态下不能办理「${def.label}」 / ${action} is not possible from ${state.status} (only from ${def.from.join(', ')})`,
      { field: 'status' },
    );
  }
  const ctx: TransitionContext = { actor, now: now.toISOString(), config };
  const refusal = def.available?.(state, ctx);
  if (refusal) throw refusal;
  const parsed = parseOrThrow(InputSchemas[def.action], input, action) as {
    version: number;
  } & JsonObject;
  // TypeScript cannot correlate an action with its own input type; the schema above did.
  const loose = def as unknown as LooseTransition;
  loose.guard?.(state, parsed, ctx);
  const triggers = loose.triggers?.(state, parsed, ctx) ?? [];
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
  const event = draft(now, actor, state.id, state.jurisdictionCode, def.action, payload);
  const next = applyEvent(state, event);
  // The event is filed under the polygon's jurisdiction after the action (a push refines it).
  return { state: next, event: { ...event, jurisdictionCode: next.jurisdictionCode }, triggers };
}

/** A transition seen without its action-specific input type. */
interface LooseTransition {
  guard?(s: PolygonCaseState, input: unknown, ctx: TransitionContext): void;
  triggers?(s: PolygonCaseState, input: unknown, ctx: TransitionContext): Trigger[];
}

export interface AvailableAction {
  action: Action;
  label: string;
  to: Status;
  /** JSON Schema of the input (for API clients). */
  input: unknown;
  /** The form a person fills in: words, widgets and configured choices (forms.ts). */
  form: ActionFormDescription;
}

/**
 * The actions this actor can take on this polygon now — role, jurisdiction, state and the
 * state-only rules (review by the level above, joint review done…) — each with its input's
 * JSON Schema for the form. The input rules themselves are checked when the action is taken.
 */
export function allowedActions(
  state: PolygonCaseState,
  actor: Actor,
  config: CasesConfig,
  now: Date,
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
    input: inputJsonSchema(a),
    form: prefilled(describeForm(a, config, TRANSITIONS[a].label), suggestedInput(a, state)),
  }));
}

const jsonSchemas = new Map<Action, unknown>();

/** JSON Schema of an action's input (for forms and OpenAPI), computed once per action. */
export function inputJsonSchema(action: Action): unknown {
  let schema = jsonSchemas.get(action);
  if (schema === undefined) {
    schema = z.toJSONSchema(InputSchemas[action], { io: 'input', unrepresentable: 'any' });
    jsonSchemas.set(action, schema);
  }
  return schema;
}

/**
 * The statuses in which a role has work to do (an action that moves the polygon): the store's
 * work queue for a user is the polygons in their scope with one of these statuses — e.g. a
 * city reviewer's queue holds `determined`, `disputed` and `rectified`.
 */
export function workStatuses(role: Role): Status[] {
  const out = new Set<Status>();
  for (const a of ACTIONS) {
    const def = TRANSITIONS[a];
    if (def.to !== 'same' && !def.sampled && def.roles.includes(role))
      def.from.forEach((f) => out.add(f));
  }
  // A closed polygon is nobody's work.
  out.delete('closed');
  return STATUSES.filter((s) => out.has(s));
}

/** The whole state machine as data (action, label, from, to, roles), for documentation and diagrams. */
export function describeLifecycle(): {
  action: Action;
  label: string;
  from: readonly Status[];
  to: Status | 'same';
  roles: readonly Role[];
}[] {
  return ACTIONS.map((a) => {
    const { action, label, from, to, roles } = TRANSITIONS[a];
    return { action, label, from, to, roles };
  });
}

function assertVersion(state: PolygonCaseState, input: unknown): void {
  const seen = (input as { version?: unknown } | null)?.version;
  if (typeof seen !== 'number' || !Number.isInteger(seen)) {
    throw new GengbaoError(
      'bad_input',
      '缺少图斑版本，请刷新后重试 / version: missing required field (the polygon version you acted on)',
      { field: 'version' },
    );
  }
  if (seen !== state.version) {
    throw new GengbaoError(
      'conflict',
      `图斑已被他人更新，请刷新后重试 / polygon ${state.id} is at version ${state.version}, you acted on version ${seen}: reload and retry`,
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
