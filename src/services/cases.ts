import {
  allowedActions,
  applyTransition,
  createPolygonCase,
  deadlineItemsOf,
  drawSpotCheck,
  configuredChoiceWords,
  evaluateDeadlines,
  withDrawnSpotChecks,
  maskPersonalData,
  seesPersonalData,
  publicNoticeOf,
  resolveCasesConfig,
  type Actor,
  type AvailableAction,
  type Bilingual,
  type CasesConfig,
  type CasesConfigOverride,
  type DeadlineReport,
  type EventDraft,
  type PolygonCaseState,
  type SpotCheckSample,
  type Trigger,
} from '../cases/index.ts';
import { assertBoundedInput } from '../cases/validate.ts';
import { GengbaoError } from '../errors.ts';
import { covers, prefixAt } from '../grid/index.ts';
import {
  loadCase,
  listCases,
  insertNotifications,
  recordDeadlineNotice,
  saveCaseState,
  sentDeadlineKeys,
  type CaseRow,
  type NewNotification,
} from '../store/cases.ts';
import type { Db, Queryable } from '../store/db.ts';
import { appendDrafts, appendEvents } from '../store/events.ts';
import {
  getSpotCheck,
  insertPublication,
  insertSpotCheck,
  countPublications,
  listPublications,
  spotChecksDrawing,
} from '../store/oversight.ts';
import { Scope } from '../store/scope.ts';
import { getSetting } from '../store/settings.ts';
import { fieldChiefIds } from '../store/notices.ts';
import { getUserById, type Principal } from '../store/users.ts';

/** The system acting on its own (imports, scheduled scans): recorded with no actor id. */
export const SYSTEM_ACTOR: Actor = { id: 'system', role: 'province_monitor', scope: '' };

export function actorOf(p: Principal): Actor {
  return { id: String(p.id), role: p.role, scope: p.scope.prefix };
}

/** Events of the system carry a null actor in the store (actor_id references users). */
function stored(draft: EventDraft): EventDraft {
  return draft.actorId === SYSTEM_ACTOR.id ? { ...draft, actorId: null } : draft;
}

/** The configuration in force: national defaults + overrides stored under `cases.config`. */
export async function casesConfig(
  q: Queryable,
  jurisdictionCode: string,
  now: Date,
): Promise<CasesConfig> {
  const overrides = (await getSetting<CasesConfigOverride[]>(q, 'cases.config')) ?? [];
  return resolveCasesConfig(
    { province: jurisdictionCode.slice(0, 2), year: now.getUTCFullYear() },
    overrides,
  );
}

export type CaseToOpen = Pick<CaseRow, 'id' | 'jurisdictionCode' | 'source' | 'period'>;

/**
 * Opens the case of stored 图斑 that have none yet (state `found`, version 1), inside the
 * transaction that stored them, so no 图斑 is ever visible without its case.
 */
export async function openCases(
  tx: Queryable,
  scope: Scope,
  actor: Actor,
  rows: CaseToOpen[],
  at: Date,
): Promise<void> {
  const drafts: EventDraft[] = [];
  for (const row of rows) {
    const r = createPolygonCase(
      {
        id: String(row.id),
        jurisdictionCode: row.jurisdictionCode,
        source: row.source,
        period: row.period,
      },
      actor,
      at,
    );
    await saveCaseState(tx, scope, row.id, null, r.state);
    drafts.push(stored(r.event));
  }
  await appendDrafts(tx, scope, drafts);
}

/** What a trigger asks of the store: notices in the inboxes of the units named. */
function noticesOf(
  polygonId: number,
  state: PolygonCaseState,
  triggers: Trigger[],
  at: Date,
): NewNotification[] {
  const out: NewNotification[] = [];
  for (const t of triggers) {
    if (t.kind === 'notify') {
      const base = {
        polygonId,
        kind: 'notify',
        audience: t.audience,
        payload: { status: state.status, polygon: state.id },
        at,
      };
      if (t.userIds?.length)
        for (const u of t.userIds)
          out.push({ ...base, jurisdictionCode: t.scope, userId: Number(u) });
      else out.push({ ...base, jurisdictionCode: t.scope });
    } else if (t.kind === 'require_review' || t.kind === 'require_recheck') {
      out.push({
        polygonId,
        kind: t.kind,
        jurisdictionCode: t.scope,
        payload: { status: state.status },
        at,
      });
    } else if (
      t.kind === 'require_joint_review' ||
      t.kind === 'require_major_report' ||
      t.kind === 'suggest_transfer'
    ) {
      out.push({
        polygonId,
        kind: t.kind,
        jurisdictionCode: state.jurisdictionCode,
        payload: { ...t },
        at,
      });
    }
  }
  return out;
}

/**
 * Assignees named in a push must be users of the polygon's county: a push could name anyone,
 * and they were notified of a case outside their jurisdiction. Malformed lists are left to the
 * input schema.
 */
async function assertAssigneesIn(tx: Queryable, input: unknown, county: string): Promise<void> {
  const ids = (input as { assigneeIds?: unknown } | null)?.assigneeIds;
  if (!Array.isArray(ids)) return;
  for (const raw of ids) {
    const user = /^\d{1,15}$/.test(String(raw).trim()) ? await getUserById(tx, Number(raw)) : null;
    if (!user)
      throw new GengbaoError('bad_input', `没有用户 ${String(raw)} / no user ${String(raw)}`, {
        field: 'assigneeIds',
      });
    if (!covers(county, user.jurisdictionCode))
      throw new GengbaoError(
        'forbidden_jurisdiction',
        `下发对象 ${String(raw)} 不属于图斑所在县 ${county} / assignee ${String(raw)} is not a user of the polygon's county ${county}`,
        { field: 'assigneeIds' },
      );
  }
}

/**
 * The lifecycle service: loads a case under a row lock, asks the pure state machine
 * (src/cases) for the transition, and stores the new state, its hash-chained event and its
 * notices in ONE transaction — so the state is always the projection of the record.
 */
export class CaseService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Opens the case of stored 图斑 that have none yet (state `found`, version 1). */
  async openCases(
    tx: Queryable,
    scope: Scope,
    actor: Actor,
    rows: CaseToOpen[],
    at = this.now(),
  ): Promise<void> {
    await openCases(tx, scope, actor, rows, at);
  }

  /** Loads a case; a 图斑 stored without one (older data, bulk loads) gets it opened first. */
  private async caseFor(tx: Queryable, scope: Scope, id: number): Promise<CaseRow> {
    const row = await loadCase(tx, scope, id, true);
    if (!row)
      throw new GengbaoError('not_found', `no polygon ${id} in your jurisdiction`, { field: 'id' });
    if (!row.state) {
      await openCases(tx, scope, SYSTEM_ACTOR, [row], this.now());
      return (await loadCase(tx, scope, id, true))!;
    }
    return row;
  }

  /** Takes one action on one polygon as `principal`. Throws and changes nothing when refused. */
  async act(
    principal: Principal,
    id: number,
    action: string,
    input: unknown,
  ): Promise<{ state: PolygonCaseState; triggers: Trigger[] }> {
    const at = this.now();
    // The input ends up in the append-only record: bounded before anything else looks at it.
    assertBoundedInput(input, action);
    return this.db.transaction(async (tx) => {
      const row = await this.caseFor(tx, principal.scope, id);
      if (action === 'push')
        await assertAssigneesIn(tx, input, prefixAt(row.jurisdictionCode, 'county'));
      const config = await casesConfig(tx, row.jurisdictionCode, at);
      const r = applyTransition(row.state!, action, input, actorOf(principal), at, config);
      await saveCaseState(tx, principal.scope, id, row.state!.version, r.state);
      await appendDrafts(tx, principal.scope, [stored(r.event)]);
      await insertNotifications(tx, noticesOf(id, r.state, r.triggers, at));
      return { state: r.state, triggers: r.triggers };
    });
  }

  /**
   * Takes one action as Gengbao itself (SYSTEM_ACTOR) inside the caller's transaction, so that
   * what the action records and what the caller stores beside it (a re-check result) commit
   * together. The input's version is the case's current one: the system never acts on a stale view.
   */
  async actAsSystem(
    tx: Queryable,
    id: number,
    action: string,
    input: Record<string, unknown>,
    at = this.now(),
  ): Promise<{ state: PolygonCaseState; triggers: Trigger[] }> {
    assertBoundedInput(input, action);
    const row = await this.caseFor(tx, Scope.system(), id);
    const config = await casesConfig(tx, row.jurisdictionCode, at);
    const r = applyTransition(
      row.state!,
      action,
      { ...input, version: row.state!.version },
      SYSTEM_ACTOR,
      at,
      config,
    );
    await saveCaseState(tx, Scope.system(), id, row.state!.version, r.state);
    await appendDrafts(tx, Scope.system(), [stored(r.event)]);
    await insertNotifications(tx, noticesOf(id, r.state, r.triggers, at));
    return { state: r.state, triggers: r.triggers };
  }

  /** The actions `principal` may take on this polygon now, with their input schemas. */
  async actions(
    principal: Principal,
    id: number,
  ): Promise<{
    state: PolygonCaseState;
    actions: AvailableAction[];
    choices: Record<string, Record<string, Bilingual>>;
  }> {
    const row = await loadCase(this.db, principal.scope, id);
    if (!row)
      throw new GengbaoError('not_found', `no polygon ${id} in your jurisdiction`, { field: 'id' });
    const at = this.now();
    // A 图斑 stored without a case reads as the case it will get on the first action.
    const state =
      row.state ??
      createPolygonCase(
        {
          id: String(row.id),
          jurisdictionCode: row.jurisdictionCode,
          source: row.source,
          period: row.period,
        },
        SYSTEM_ACTOR,
        at,
      ).state;
    const config = await casesConfig(this.db, row.jurisdictionCode, at);
    const actions = await this.withSpotCheckBatches(
      principal,
      id,
      allowedActions(state, actorOf(principal), config, at),
    );
    // The parties' ID and phone numbers only for the roles that deal with them (cases/personal-data.ts).
    return {
      state: seesPersonalData(principal.role) ? state : maskPersonalData(state),
      actions,
      choices: configuredChoiceWords(config),
    };
  }

  /**
   * The spot-check findings are offered only on a 图斑 a drawn sample holds, with the batch
   * chosen by name among the spot checks that drew it (never a seed typed by hand).
   */
  private async withSpotCheckBatches(
    principal: Principal,
    id: number,
    actions: AvailableAction[],
  ): Promise<AvailableAction[]> {
    const isFinding = (a: AvailableAction) =>
      a.action === 'spot_check_confirm' || a.action === 'spot_check_reject';
    if (!actions.some(isFinding)) return actions;
    const drawn = await spotChecksDrawing(this.db, principal.scope, id);
    if (!drawn.length) return actions.filter((a) => !isFinding(a));
    const batches = drawn.map((d) => ({
      seed: d.seed,
      period: d.period,
      // the day in China time (UTC+8), as the office reads it
      drawnOn: new Date(d.createdAt.getTime() + 8 * 3_600_000).toISOString().slice(0, 10),
      drawnBy: d.createdBy,
    }));
    return actions.map((a) =>
      isFinding(a) ? { ...a, form: withDrawnSpotChecks(a.form, batches) } : a,
    );
  }

  /**
   * Pushes (下发) a period's analysed 图斑 to their responsible units: each goes to the unit
   * recorded by the overlay (its village), in one transaction per polygon so one refusal does
   * not block the rest. Returns what was pushed and what was refused, with the reason.
   */
  async pushPeriod(
    principal: Principal,
    period: string,
    opts: { ids?: number[] } = {},
  ): Promise<{ pushed: number[]; refused: { id: number; code: string; message: string }[] }> {
    const rows = await listCases(this.db, principal.scope, {
      period,
      statuses: ['analysed'],
      ids: opts.ids,
    });
    const pushed: number[] = [];
    const refused: { id: number; code: string; message: string }[] = [];
    for (const row of rows) {
      try {
        const unitCode = String(row.properties.villageCode ?? row.jurisdictionCode);
        // Named people, not only a unit: the unit's field chiefs (and configured deputies) found by the grid.
        const assigneeIds = (await fieldChiefIds(this.db, unitCode)).map(String);
        await this.act(principal, row.id, 'push', {
          version: row.version,
          unitCode,
          assigneeIds,
          period,
        });
        pushed.push(row.id);
      } catch (e) {
        const err = e as GengbaoError;
        refused.push({ id: row.id, code: err.code ?? 'internal', message: err.message });
      }
    }
    return { pushed, refused };
  }

  /**
   * The deadline scan (reminders before, escalation after), safe to run any number of times:
   * each notice has a stable key and is sent once. Escalations are also recorded as events.
   */
  async scanDeadlines(scope: Scope = Scope.system()): Promise<DeadlineReport> {
    const at = this.now();
    return this.db.transaction(async (tx) => {
      const cases = (await listCases(tx, scope, { open: true })).filter(
        (c) => c.state?.deadlines.length,
      );
      const sent = await sentDeadlineKeys(tx);
      // Deadline rules are per province: evaluate each province's cases with its own.
      const report: DeadlineReport = { reminders: [], escalations: [], overdue: [], counts: {} };
      for (const province of new Set(cases.map((c) => c.jurisdictionCode.slice(0, 2)))) {
        const config = await casesConfig(tx, province, at);
        const items = cases
          .filter((c) => c.jurisdictionCode.startsWith(province))
          .flatMap((c) => deadlineItemsOf(c.state!));
        const r = evaluateDeadlines(items, at, config.deadlines, {
          ladder: config.gridPrefixLengths,
          alreadySent: sent,
        });
        report.reminders.push(...r.reminders);
        report.escalations.push(...r.escalations);
        report.overdue.push(...r.overdue);
        Object.assign(report.counts, r.counts);
      }
      for (const r of report.reminders) {
        const polygonId = Number(r.item.entityId);
        if (!(await recordDeadlineNotice(tx, { key: r.key, polygonId, notice: 'reminder', at })))
          continue;
        await insertNotifications(tx, [
          {
            polygonId,
            kind: 'deadline_reminder',
            jurisdictionCode: r.notifyScope,
            payload: { deadline: r.item.kind, dueAt: r.item.dueAt, daysBefore: r.daysBefore },
            at,
          },
        ]);
      }
      for (const e of report.escalations) {
        const polygonId = Number(e.item.entityId);
        if (!(await recordDeadlineNotice(tx, { key: e.key, polygonId, notice: 'escalation', at })))
          continue;
        const payload = {
          deadline: e.item.kind,
          dueAt: e.item.dueAt,
          overdueDays: e.overdueDays,
          step: e.step,
          responsible: e.item.scope,
        };
        await insertNotifications(tx, [
          {
            polygonId,
            kind: 'deadline_escalation',
            jurisdictionCode: e.notifyScope,
            audience: 'level_above',
            payload,
            at,
          },
        ]);
        await appendEvents(tx, Scope.system(), [
          {
            actorId: null,
            entityType: 'deadline',
            entityId: String(polygonId),
            jurisdictionCode: e.item.scope,
            type: 'deadline.escalated',
            payload,
            at,
          },
        ]);
      }
      return report;
    });
  }

  /** Draws and stores a reproducible spot check of a period's verdicts in the caller's scope. */
  async spotCheck(
    principal: Principal,
    period: string,
    plan: { rate: number; minPerStratum: number; seed: string },
  ): Promise<{ id: number; sample: SpotCheckSample }> {
    const at = this.now();
    return this.db.transaction(async (tx) => {
      const cases = (await listCases(tx, principal.scope, { period })).filter(
        (c) => c.state?.determination,
      );
      const items = cases.map((c) => ({
        id: String(c.id),
        countyCode: c.jurisdictionCode.slice(0, 6),
        verdict: c.state!.determination!.category,
      }));
      const sample = drawSpotCheck(items, plan);
      const id = await insertSpotCheck(tx, principal.scope, {
        jurisdictionCode: principal.jurisdictionCode,
        period,
        sample,
        createdBy: principal.id,
        at,
      });
      await appendEvents(tx, principal.scope, [
        {
          actorId: principal.id,
          entityType: 'spot_check',
          entityId: String(id),
          jurisdictionCode: principal.jurisdictionCode,
          type: 'spot_check.drawn',
          payload: { period, seed: plan.seed, rate: plan.rate, ids: sample.ids },
          at,
        },
      ]);
      return { id, sample };
    });
  }

  /** Publishes a closed case (执法公示) with personal data masked; recorded as an event. */
  async publish(principal: Principal, id: number): Promise<void> {
    const at = this.now();
    await this.db.transaction(async (tx) => {
      const row = await loadCase(tx, principal.scope, id, true);
      if (!row?.state)
        throw new GengbaoError('not_found', `no polygon ${id} in your jurisdiction`, {
          field: 'id',
        });
      const notice = publicNoticeOf(row.state);
      await insertPublication(tx, principal.scope, {
        polygonId: id,
        jurisdictionCode: row.jurisdictionCode,
        notice,
        by: principal.id,
        at,
      });
      await appendEvents(tx, principal.scope, [
        {
          actorId: principal.id,
          entityType: 'publication',
          entityId: String(id),
          jurisdictionCode: row.jurisdictionCode,
          type: 'case.published',
          payload: {},
          at,
        },
      ]);
    });
  }

  /** A stored spot check with its seed and sample, in the caller's scope. */
  async spotCheckOf(principal: Principal, id: number) {
    const s = await getSpotCheck(this.db, principal.scope, id);
    if (!s)
      throw new GengbaoError('not_found', `no spot check ${id} in your jurisdiction`, {
        field: 'id',
      });
    return s;
  }

  /** 执法公示: the published notices (personal data already masked), for anyone. */
  async publications(opts: { jurisdictionPrefix?: string; limit?: number; offset?: number }) {
    return listPublications(this.db, opts);
  }

  /** How many cases are published under a jurisdiction prefix (the public list's total). */
  async publicationCount(jurisdictionPrefix?: string) {
    return countPublications(this.db, jurisdictionPrefix);
  }
}
