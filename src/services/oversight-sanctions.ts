import { GengbaoError } from '../errors.ts';
import { bboxOf } from '../geo/bbox.ts';
import type { Areal, BBox, Feature } from '../geo/types.ts';
import { checkInputGeometry } from '../geo/validate-input.ts';
import { prefixAt } from '../grid/index.ts';
import {
  checkReplacement,
  yearEndDuties,
  yearEndInstant,
  type ReplacementCheck,
} from '../oversight/index.ts';
import type { Db } from '../store/db.ts';
import { appendEvents, type NewEvent } from '../store/events.ts';
import { casesOfYear } from '../store/oversight-cases.ts';
import {
  bookLedger,
  finishSweep,
  getDuty,
  insertDuty,
  insertReplacements,
  insertSweep,
  ledgerBalances,
  ledgerOf,
  listDuties,
  listReplacements,
  listSweeps,
  markDutyDone,
  type DutyFilter,
  type DutyRecord,
  type LedgerEntry,
  type ReplacementRecord,
  type SweepRecord,
} from '../store/oversight-sanctions.ts';
import { referenceFeaturesInBox } from '../store/reference.ts';
import { Scope } from '../store/scope.ts';
import type { Principal } from '../store/users.ts';
import type { JobRun } from './job-run.ts';
import { oversightConfigs } from './oversight-config.ts';
import { oversightCaseOf } from './oversight.ts';

/** What one sweep did. */
export interface SweepResult {
  sweepId: number;
  year: number;
  casesSwept: number;
  /** Duties raised by this run; a duty raised by an earlier run is not raised again. */
  dutiesRaised: number;
  alreadyRaised: number;
  deductedMu: number;
}

const ledgerEvent = (
  e: LedgerEntry,
  actorId: number | null,
  extra: Record<string, unknown> = {},
): NewEvent => ({
  actorId,
  entityType: 'quota_ledger',
  entityId: e.countyCode,
  jurisdictionCode: e.countyCode,
  type: `quota.${e.kind}`,
  payload: {
    seq: e.seq,
    changeMu: e.changeMu,
    balanceMu: e.balanceMu,
    grade: e.grade,
    dutyId: e.dutyId,
    note: e.note,
    ...extra,
  },
  at: e.createdAt,
});

/**
 * Year-end sanctions (自然资办发〔2021〕33号 §3) over the store: the sweep that raises the duties
 * of cases not restored by the year's end, the counties' quota ledgers, and 补划 completed by
 * registering replacement parcels the overlay verifies. Every duty and ledger booking is an
 * event of the hash-chained record, appended in the transaction that stores it.
 */
export class SanctionService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  /**
   * The year-end sweep in the job's scope: refused before the year has ended; run again, it
   * raises only what is new (a duty per case and kind, ever). `jobId` is null when it runs
   * outside the job queue (the demo's year, src/demo/oversight-year.ts).
   */
  async runYearEnd(
    run: Omit<JobRun, 'jobId'> & { jobId: string | null },
    year: number,
  ): Promise<SweepResult> {
    const at = this.now();
    const configOf = await oversightConfigs(this.db, year);
    const offset = configOf(run.scope.prefix.slice(0, 2)).sanctions.utcOffsetMinutes;
    if (at <= yearEndInstant(year, offset))
      throw new GengbaoError(
        'conflict',
        `${year} 年度尚未结束，不能进行年终清查 / the year ${year} has not ended yet`,
        { field: 'year' },
      );
    await run.progress(0.1, `reading the cases of ${year}`);
    const cases = (await casesOfYear(this.db, run.scope, year)).map(oversightCaseOf);
    const duties = yearEndDuties(cases, year, configOf);
    await run.progress(0.4, `${duties.length} duties for ${cases.length} cases`);
    return this.db.transaction(async (tx) => {
      const sweepId = await insertSweep(tx, run.scope, {
        year,
        jobId: run.jobId,
        runBy: run.actorId,
        at,
      });
      let raised = 0;
      let deductedMu = 0;
      for (const d of duties) {
        const duty = await insertDuty(tx, run.scope, d, sweepId, at);
        if (!duty) continue;
        raised++;
        const events: NewEvent[] = [
          dutyEvent(duty, run.actorId, 'oversight.duty_raised', at, { sweepId, jobId: run.jobId }),
        ];
        if (duty.kind === 'quota_deduction') {
          const entry = await bookLedger(tx, run.scope, {
            countyCode: duty.countyCode,
            kind: 'deduction',
            mu: duty.mu,
            grade: duty.grade,
            dutyId: duty.id,
            note: `${year} 年度未消除违法状态：${duty.polygonCode}`,
            by: run.actorId,
            at,
          });
          deductedMu += duty.mu;
          events.push(ledgerEvent(entry, run.actorId, { polygonId: duty.polygonId, year }));
        }
        await appendEvents(tx, run.scope, events);
      }
      await finishSweep(tx, sweepId, { casesSwept: cases.length, dutiesRaised: raised });
      return {
        sweepId,
        year,
        casesSwept: cases.length,
        dutiesRaised: raised,
        alreadyRaised: duties.length - raised,
        deductedMu: Math.round(deductedMu * 100) / 100,
      };
    });
  }

  /** Books an opening balance (imported once, as the first entry) or an addition to a county's reserve. */
  async book(
    p: Principal,
    countyCode: string,
    e: { kind: 'opening' | 'addition'; mu: number; grade?: string | null; note?: string },
  ): Promise<LedgerEntry> {
    p.scope.assertCovers(countyCode, 'quota ledger');
    return this.db.transaction(async (tx) => {
      const entry = await bookLedger(tx, p.scope, {
        countyCode,
        kind: e.kind,
        mu: e.mu,
        grade: e.grade ?? null,
        note: e.note ?? '',
        by: p.id,
        at: this.now(),
      });
      await appendEvents(tx, p.scope, [ledgerEvent(entry, p.id)]);
      return entry;
    });
  }

  /** A county's ledger in order. */
  ledger(p: Principal, countyCode: string): Promise<LedgerEntry[]> {
    return ledgerOf(this.db, p.scope, countyCode);
  }

  /** Each county's balance in the caller's scope. */
  balances(p: Principal): Promise<LedgerEntry[]> {
    return ledgerBalances(this.db, p.scope);
  }

  duties(p: Principal, f: DutyFilter = {}): Promise<DutyRecord[]> {
    return listDuties(this.db, p.scope, f);
  }

  /** One duty with its 补划 parcels (404 outside the scope). */
  async duty(
    p: Principal,
    id: number,
  ): Promise<{ duty: DutyRecord; replacements: ReplacementRecord[] }> {
    const duty = await getDuty(this.db, p.scope, id);
    if (!duty)
      throw new GengbaoError('not_found', `no duty ${id} in your jurisdiction`, { field: 'id' });
    return { duty, replacements: await listReplacements(this.db, p.scope, { dutyId: id }) };
  }

  sweeps(p: Principal, year?: number): Promise<SweepRecord[]> {
    return listSweeps(this.db, p.scope, year);
  }

  /**
   * 补划: registers the parcels that replace the permanent basic farmland a case took. The
   * overlay verifies them against the province's farmland and PBF layers and the parcels
   * registered before (PBF now); refused parcels are not stored and the error says why, parcel
   * by parcel. Accepted ones are stored, the duty is done, and both are in the record.
   */
  async registerReplacement(
    p: Principal,
    dutyId: number,
    geometries: unknown[],
  ): Promise<{ duty: DutyRecord; check: ReplacementCheck; replacements: ReplacementRecord[] }> {
    if (!geometries.length)
      throw new GengbaoError('bad_input', '至少登记一个地块 / register at least one parcel', {
        field: 'parcels',
      });
    const parcels = geometries.map((g, i) =>
      checkInputGeometry(g, { field: `parcels.${i}.geometry` }),
    );
    const duty0 = await getDuty(this.db, p.scope, dutyId);
    if (!duty0)
      throw new GengbaoError('not_found', `no duty ${dutyId} in your jurisdiction`, {
        field: 'id',
      });
    if (duty0.kind !== 'pbf_redesignation')
      throw new GengbaoError(
        'conflict',
        `任务 ${dutyId} 不是补划任务 / duty ${dutyId} is a ${duty0.kind}, not a 补划`,
        { field: 'id' },
      );
    const check = await this.verify(duty0, parcels);
    if (!check.accepted)
      throw new GengbaoError('bad_input', `补划地块未通过核验：${check.messages.join('；')}`, {
        field: 'parcels',
        details: check,
      });
    return this.db.transaction(async (tx) => {
      const duty = await getDuty(tx, p.scope, dutyId, true);
      if (!duty || duty.status !== 'open')
        throw new GengbaoError(
          'conflict',
          `补划任务 ${dutyId} 已完成 / the 补划 duty ${dutyId} is already done`,
          { field: 'id' },
        );
      const at = this.now();
      const stored = await insertReplacements(
        tx,
        p.scope,
        duty,
        parcels.map((geometry, i) => ({
          geometry,
          areaMu: check.parcels[i].areaMu,
          farmlandMu: check.parcels[i].farmlandMu,
        })),
        p.id,
        at,
      );
      await markDutyDone(tx, p.scope, duty.id, at);
      const done = { ...duty, status: 'done' as const, doneAt: at };
      await appendEvents(tx, p.scope, [
        dutyEvent(done, p.id, 'oversight.pbf_redesignated', at, {
          farmlandMu: check.farmlandMu,
          requiredMu: check.requiredMu,
          parcels: stored.map((r, i) => ({
            id: r.id,
            areaMu: r.areaMu,
            farmlandMu: r.farmlandMu,
            geometry: parcels[i],
          })),
        }),
      ]);
      return { duty: done, check, replacements: stored };
    });
  }

  /** The overlay of the parcels with the reference layers around them. */
  private async verify(duty: DutyRecord, parcels: Areal[]): Promise<ReplacementCheck> {
    const box = parcels
      .map(bboxOf)
      .reduce((a, b): BBox => [
        Math.min(a[0], b[0]),
        Math.min(a[1], b[1]),
        Math.max(a[2], b[2]),
        Math.max(a[3], b[3]),
      ]);
    // The survey layers are often stored at province level: read them with the province's
    // scope, whoever registers. The caller learns only the verdict, never the features.
    const layerScope = new Scope(prefixAt(duty.countyCode, 'province'));
    const features = await referenceFeaturesInBox(this.db, layerScope, box, {
      kinds: ['farmland', 'pbf'],
      withGeometry: true,
      limit: 50000,
    });
    const asFeature = (id: string | number, geometry: Areal): Feature => ({
      type: 'Feature',
      id,
      geometry,
      properties: {},
    });
    const earlier = await listReplacements(this.db, layerScope, {
      prefix: prefixAt(duty.countyCode, 'province'),
      withGeometry: true,
    });
    const configOf = await oversightConfigs(this.db, duty.year);
    return checkReplacement(
      parcels,
      {
        farmland: features
          .filter((f) => f.kind === 'farmland')
          .map((f) => asFeature(f.id, f.geometry!)),
        pbf: [
          ...features.filter((f) => f.kind === 'pbf').map((f) => asFeature(f.id, f.geometry!)),
          ...earlier.map((r) => asFeature(`r${r.id}`, r.geometry!)),
        ],
      },
      duty.mu,
      configOf(duty.countyCode.slice(0, 2)),
    );
  }
}

/** A duty's event: the entity is the duty, in the case's jurisdiction. */
function dutyEvent(
  d: DutyRecord,
  actorId: number | null,
  type: string,
  at: Date,
  extra: Record<string, unknown>,
): NewEvent {
  return {
    actorId,
    at,
    entityType: 'oversight_duty',
    entityId: String(d.id),
    jurisdictionCode: d.jurisdictionCode,
    type,
    payload: {
      kind: d.kind,
      polygonId: d.polygonId,
      polygonCode: d.polygonCode,
      countyCode: d.countyCode,
      year: d.year,
      mu: d.mu,
      grade: d.grade,
      dueDate: d.dueDate,
      status: d.status,
      ...extra,
    },
  };
}
