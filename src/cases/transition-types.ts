/**
 * The shape of one lifecycle transition and the small helpers the transition tables share.
 * A transition is data (from-states, to-state, roles, input schema) plus three pure functions:
 * `guard` (rules beyond the schema, against configuration and recorded facts), `triggers`
 * (deadlines, notifications, reviews it sets off) and `record` (the facts it adds to the state,
 * also used to replay events, so the state is always a projection of the record).
 */
import { GengbaoError } from '../errors.ts';
import { levelAbove } from '../grid/index.ts';
import type { Actor, Role } from './roles.ts';
import type { CasesConfig } from './config.ts';
import type { Action, InputOf } from './inputs.ts';
import type { Fact, PolygonCaseState, Status, Trigger } from './states.ts';
import type { DeadlineKind, RuledDeadlineKind } from './deadline-config.ts';
import { dueAt } from './calendar.ts';

/** What a guard or trigger may look at besides the state and input. `now` is an ISO instant. */
export interface TransitionContext {
  actor: Actor;
  now: string;
  config: CasesConfig;
}

export interface TransitionDef<A extends Action> {
  action: A;
  /** The users' own term. */
  label: string;
  from: readonly Status[];
  /** 'same' for side actions that record a fact without moving the polygon (transfer, 干预记录…). */
  to: Status | 'same';
  roles: readonly Role[];
  /** Taken on polygons drawn into a spot-check sample, not from a work queue. */
  sampled?: true;
  /**
   * Conditions on the state and the actor alone (no input): what `allowedActions` checks, so the
   * UI offers only what will be accepted. Returns the refusal, or undefined when available.
   */
  available?(s: PolygonCaseState, ctx: TransitionContext): GengbaoError | undefined;
  /** Rules on the input beyond its schema (configured reasons, coherent measures…); throws. */
  guard?(s: PolygonCaseState, input: InputOf<A>, ctx: TransitionContext): void;
  triggers?(s: PolygonCaseState, input: InputOf<A>, ctx: TransitionContext): Trigger[];
  /** The facts to add; `triggers` are the ones this event recorded (replay does not recompute them). */
  record(
    s: PolygonCaseState,
    fact: Fact<A>,
    triggers: readonly Trigger[],
  ): Partial<PolygonCaseState>;
}

export type TransitionTable = { [A in Action]: TransitionDef<A> };

/** The county a code belongs to (third rung of the grid ladder). */
export function countyOf(code: string, config: CasesConfig): string {
  return code.slice(0, config.gridPrefixLengths[2]);
}

/** The level above the polygon's county: who reviews its verdicts and hears its reports. */
export function aboveCounty(s: PolygonCaseState, ctx: TransitionContext): string {
  return levelAbove(countyOf(s.jurisdictionCode, ctx.config), ctx.config.gridPrefixLengths);
}

/** A start_deadline trigger whose due date follows the configured rule for `kind`. */
export function startDeadline(
  kind: RuledDeadlineKind,
  scope: string,
  ctx: TransitionContext,
): Trigger {
  return {
    kind: 'start_deadline',
    deadline: kind,
    scope,
    dueAt: dueAt(ctx.config.deadlines.rules[kind], ctx.now, ctx.config.deadlines),
  };
}

export function endDeadline(kind: DeadlineKind): Trigger {
  return { kind: 'end_deadline', deadline: kind };
}

export function badInput(field: string, message: string): GengbaoError {
  return new GengbaoError('bad_input', message, { field });
}

export function conflict(message: string, field?: string): GengbaoError {
  return new GengbaoError('conflict', message, { field });
}

/** Throws bad_input unless `value` is one of the configured codes. */
export function assertConfigured(
  field: string,
  value: string | undefined,
  list: readonly { code: string }[],
): void {
  if (value !== undefined && !list.some((x) => x.code === value)) {
    throw badInput(
      field,
      `「${value}」不是本省配置的可选项（可选：${list.map((x) => (x as { label?: string }).label ?? x.code).join('、')}） / ${field} "${value}" is not a configured reason (one of: ${list.map((x) => x.code).join(', ')})`,
    );
  }
}

/**
 * Separation of duties: the person who checks must not be the person whose work is checked
 * (a reviewer reviewing their own verdict would defeat 审核).
 */
export function samePerson(
  ctx: TransitionContext,
  other: string | undefined,
  what: string,
): GengbaoError | undefined {
  if (other === undefined || other !== ctx.actor.id) return undefined;
  return new GengbaoError(
    'forbidden',
    `办理人不能审核自己办理的事项 / the person who ${what} may not also check it`,
    {
      field: 'actor',
    },
  );
}

/** Reviews come from the level above the county: the actor's scope must be wider than a county. */
export function notAboveCounty(ctx: TransitionContext): GengbaoError | undefined {
  if (ctx.actor.scope.length < ctx.config.gridPrefixLengths[2]) return undefined;
  return new GengbaoError(
    'forbidden',
    `审核须由县级以上办理 / ${ctx.actor.role} with scope ${ctx.actor.scope} is not above the county; review is by the level above`,
    {
      field: 'actor',
    },
  );
}
