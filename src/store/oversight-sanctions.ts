import type { Areal } from '../geo/types.ts';
import { nextBalance, type LedgerKind, type YearEndDuty } from '../oversight/index.ts';
import type { Queryable } from './db.ts';
import {
  OVERSIGHT_DUTIES,
  PBF_REPLACEMENTS,
  QUOTA_LEDGER,
  YEAR_END_SWEEPS,
} from './rows/oversight-sanctions.ts';
import type { Scope } from './scope.ts';
import type { RecordOf, Row } from './table.ts';

/*
 * Year-end sanctions in the store: the quota ledger, the duties, the 补划 parcels and the
 * sweep runs (migration 008_oversight.sql). The rules are src/oversight's; the services append
 * each change to the record in the same transaction.
 */

export type LedgerEntry = RecordOf<typeof QUOTA_LEDGER.columns>;
export type DutyRecord = RecordOf<typeof OVERSIGHT_DUTIES.columns>;
export type ReplacementRecord = RecordOf<typeof PBF_REPLACEMENTS.columns>;
export type SweepRecord = RecordOf<typeof YEAR_END_SWEEPS.columns>;

// Ledger bookings take turns (transaction-scoped), so each reads the true last balance.
const LEDGER_LOCK = 7262008;

/**
 * Books an entry on a county's ledger after its last one, with the balance after it. Call it
 * inside the transaction that records the event.
 */
export async function bookLedger(
  q: Queryable,
  scope: Scope,
  e: {
    countyCode: string;
    kind: LedgerKind;
    mu: number;
    grade?: string | null;
    dutyId?: number | null;
    note?: string;
    by: number | null;
    at: Date;
  },
): Promise<LedgerEntry> {
  scope.assertCovers(e.countyCode, 'quota ledger');
  await q.query(`SELECT pg_advisory_xact_lock(${LEDGER_LOCK})`);
  const last = await q.query<{ seq: number; balance_mu: number }>(
    'SELECT seq, balance_mu FROM quota_ledger WHERE county_code = $1 ORDER BY seq DESC LIMIT 1',
    [e.countyCode],
  );
  const entries = last[0] ? Number(last[0].seq) : 0;
  const { changeMu, balanceMu } = nextBalance(
    { entries, balanceMu: last[0] ? Number(last[0].balance_mu) : 0 },
    { kind: e.kind, mu: e.mu },
  );
  const rows = await q.query<Row>(
    `INSERT INTO quota_ledger (county_code, seq, kind, change_mu, balance_mu, grade, duty_id, note, created_by, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${QUOTA_LEDGER.select()}`,
    [
      e.countyCode,
      entries + 1,
      e.kind,
      changeMu,
      balanceMu,
      e.grade ?? null,
      e.dutyId ?? null,
      e.note ?? '',
      e.by,
      e.at,
    ],
  );
  return QUOTA_LEDGER.read(rows[0]);
}

/** A county's ledger in order, inside the scope. */
export async function ledgerOf(
  q: Queryable,
  scope: Scope,
  countyCode: string,
): Promise<LedgerEntry[]> {
  const params: unknown[] = [countyCode];
  const rows = await q.query<Row>(
    `SELECT ${QUOTA_LEDGER.select()} FROM quota_ledger WHERE county_code = $1 AND ${scope.where('county_code', params)} ORDER BY seq`,
    params,
  );
  return rows.map(QUOTA_LEDGER.read);
}

/** Each county's last booking in the scope: its balance, and how many entries it has. */
export async function ledgerBalances(q: Queryable, scope: Scope): Promise<LedgerEntry[]> {
  const params: unknown[] = [];
  const rows = await q.query<Row>(
    `SELECT DISTINCT ON (county_code) ${QUOTA_LEDGER.select()} FROM quota_ledger
      WHERE ${scope.where('county_code', params)} ORDER BY county_code, seq DESC`,
    params,
  );
  return rows.map(QUOTA_LEDGER.read);
}

/** Records a sweep run; its counts are filled in by `finishSweep`. */
export async function insertSweep(
  q: Queryable,
  scope: Scope,
  s: { year: number; jobId: string | null; runBy: number | null; at: Date },
): Promise<number> {
  const rows = await q.query<{ id: number }>(
    'INSERT INTO year_end_sweeps (scope_prefix, year, job_id, run_by, run_at) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [scope.prefix, s.year, s.jobId, s.runBy, s.at],
  );
  return Number(rows[0].id);
}

export async function finishSweep(
  q: Queryable,
  id: number,
  counts: { casesSwept: number; dutiesRaised: number },
): Promise<void> {
  await q.query('UPDATE year_end_sweeps SET cases_swept = $2, duties_raised = $3 WHERE id = $1', [
    id,
    counts.casesSwept,
    counts.dutiesRaised,
  ]);
}

/** Sweep runs whose scope lies inside the caller's, newest first. */
export async function listSweeps(
  q: Queryable,
  scope: Scope,
  year?: number,
): Promise<SweepRecord[]> {
  const params: unknown[] = [];
  const where = [scope.where('scope_prefix', params)];
  if (year !== undefined) where.push(`year = $${params.push(year)}`);
  const rows = await q.query<Row>(
    `SELECT ${YEAR_END_SWEEPS.select()} FROM year_end_sweeps WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT 200`,
    params,
  );
  return rows.map(YEAR_END_SWEEPS.read);
}

/**
 * Stores a duty unless the case already has one of its kind (the sweep run again): the new
 * record, or null when it existed.
 */
export async function insertDuty(
  q: Queryable,
  scope: Scope,
  d: YearEndDuty,
  sweepId: number,
  at: Date,
): Promise<DutyRecord | null> {
  scope.assertCovers(d.jurisdictionCode, `duty on polygon ${d.polygonCode}`);
  const rows = await q.query<Row>(
    `INSERT INTO oversight_duties (kind, polygon_id, polygon_code, jurisdiction_code, county_code, year, mu, grade, due_date, status, sweep_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (polygon_id, kind) DO NOTHING RETURNING ${OVERSIGHT_DUTIES.select()}`,
    [
      d.kind,
      d.polygonId,
      d.polygonCode,
      d.jurisdictionCode,
      d.countyCode,
      d.year,
      d.mu,
      d.grade,
      d.dueDate,
      d.kind === 'quota_deduction' ? 'done' : 'open',
      sweepId,
      at,
    ],
  );
  return rows[0] ? OVERSIGHT_DUTIES.read(rows[0]) : null;
}

/** Marks a deduction booked or a 补划 done. */
export async function markDutyDone(
  q: Queryable,
  scope: Scope,
  id: number,
  at: Date,
): Promise<void> {
  const params: unknown[] = [id, at];
  await q.query(
    `UPDATE oversight_duties SET status = 'done', done_at = $2 WHERE id = $1 AND ${scope.where('jurisdiction_code', params)}`,
    params,
  );
}

export interface DutyFilter {
  year?: number;
  kind?: string;
  status?: string;
  polygonId?: number;
  /** A page: `limit` duties after duty `afterId` (all of them when absent). */
  limit?: number;
  afterId?: number;
}

/** Duties in the scope, by year, kind, status or case, in id order. */
export async function listDuties(
  q: Queryable,
  scope: Scope,
  f: DutyFilter = {},
): Promise<DutyRecord[]> {
  const params: unknown[] = [];
  const where = [scope.where('jurisdiction_code', params)];
  if (f.year !== undefined) where.push(`year = $${params.push(f.year)}`);
  if (f.kind) where.push(`kind = $${params.push(f.kind)}`);
  if (f.status) where.push(`status = $${params.push(f.status)}`);
  if (f.polygonId !== undefined) where.push(`polygon_id = $${params.push(f.polygonId)}`);
  if (f.afterId !== undefined) where.push(`id > $${params.push(f.afterId)}`);
  const limit = f.limit ? ` LIMIT ${Math.max(1, Math.floor(f.limit))}` : '';
  const rows = await q.query<Row>(
    `SELECT ${OVERSIGHT_DUTIES.select()} FROM oversight_duties WHERE ${where.join(' AND ')} ORDER BY id${limit}`,
    params,
  );
  return rows.map(OVERSIGHT_DUTIES.read);
}

/** One duty in the scope (locked for the transaction when `lock`), or null. */
export async function getDuty(
  q: Queryable,
  scope: Scope,
  id: number,
  lock = false,
): Promise<DutyRecord | null> {
  const params: unknown[] = [id];
  const rows = await q.query<Row>(
    `SELECT ${OVERSIGHT_DUTIES.select()} FROM oversight_duties WHERE id = $1 AND ${scope.where('jurisdiction_code', params)}${lock ? ' FOR UPDATE' : ''}`,
    params,
  );
  return rows[0] ? OVERSIGHT_DUTIES.read(rows[0]) : null;
}

/** Stores the verified 补划 parcels of a duty. */
export async function insertReplacements(
  q: Queryable,
  scope: Scope,
  duty: { id: number; jurisdictionCode: string },
  parcels: { geometry: Areal; areaMu: number; farmlandMu: number }[],
  by: number,
  at: Date,
): Promise<ReplacementRecord[]> {
  scope.assertCovers(duty.jurisdictionCode, `补划 of duty ${duty.id}`);
  const out: ReplacementRecord[] = [];
  for (const p of parcels) {
    const rows = await q.query<Row>(
      `INSERT INTO pbf_replacements (duty_id, jurisdiction_code, geometry, area_mu, farmland_mu, registered_by, registered_at)
       VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7) RETURNING ${PBF_REPLACEMENTS.select()}`,
      [duty.id, duty.jurisdictionCode, JSON.stringify(p.geometry), p.areaMu, p.farmlandMu, by, at],
    );
    out.push(PBF_REPLACEMENTS.read(rows[0]));
  }
  return out;
}

/** The 补划 parcels of a duty, or of every duty under a code prefix, in the scope. */
export async function listReplacements(
  q: Queryable,
  scope: Scope,
  f: { dutyId?: number; prefix?: string; withGeometry?: boolean },
): Promise<ReplacementRecord[]> {
  const params: unknown[] = [];
  const where = [scope.where('jurisdiction_code', params)];
  if (f.dutyId !== undefined) where.push(`duty_id = $${params.push(f.dutyId)}`);
  if (f.prefix !== undefined) where.push(`jurisdiction_code LIKE $${params.push(`${f.prefix}%`)}`);
  const rows = await q.query<Row>(
    `SELECT ${PBF_REPLACEMENTS.select({ with: f.withGeometry ? ['geometry'] : [] })} FROM pbf_replacements WHERE ${where.join(' AND ')} ORDER BY id`,
    params,
  );
  return rows.map(PBF_REPLACEMENTS.read);
}
