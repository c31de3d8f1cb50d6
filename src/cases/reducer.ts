/**
 * The reducer of the lifecycle: folds events into the state of a polygon. `applyTransition`
 * builds its new state with it and `replay` rebuilds a state from stored events with it, so
 * what the store keeps as current state is, by construction, a projection of the record.
 */
import { GengbaoError } from '../errors.ts';
import { ACTIONS, type Action } from './inputs.ts';
import type { Role } from './roles.ts';
import type { CaseDeadline, PolygonCaseState, PolygonSource, Status, Trigger } from './states.ts';
import type { EventDraft, JsonObject } from './record.ts';
import type { TransitionDef } from './transition-types.ts';
import { TRANSITIONS } from './transitions.ts';

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
      spotChecks: [],
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

/** The transition named `action`; bad_input for an unknown one. */
export function definitionOf(action: string): TransitionDef<Action> {
  if (!(ACTIONS as string[]).includes(action)) {
    throw new GengbaoError(
      'bad_input',
      `unknown action ${action} (one of: ${ACTIONS.join(', ')})`,
      { field: 'action' },
    );
  }
  return TRANSITIONS[action as Action] as TransitionDef<Action>;
}

function corrupt(event: EventDraft, why: string): GengbaoError {
  return new GengbaoError(
    'db_corrupt',
    `event ${event.type} of ${event.entityType} ${event.entityId}: ${why}`,
    { details: event },
  );
}
