import type { Areal } from '../../geo/types.ts';
import type { DutyKind, LedgerKind } from '../../oversight/index.ts';
import { col, defineTable } from '../table.ts';

/** A booking on a county's reserve supplementary-farmland quota ledger (储备补充耕地指标). */
export const QUOTA_LEDGER = defineTable('quota_ledger', {
  id: col.int('id'),
  countyCode: col.text('county_code'),
  seq: col.int('seq'),
  kind: col.text<LedgerKind>('kind'),
  /** Signed: negative for a deduction. */
  changeMu: col.numeric('change_mu'),
  /** The balance after this booking. */
  balanceMu: col.numeric('balance_mu'),
  grade: col.text('grade').orNull(),
  dutyId: col.int('duty_id').orNull(),
  note: col.text('note'),
  createdBy: col.int('created_by').orNull(),
  createdAt: col.time('created_at'),
});

/** A duty the year-end sweep raised for one case: a quota deduction or a 补划. */
export const OVERSIGHT_DUTIES = defineTable('oversight_duties', {
  id: col.int('id'),
  kind: col.text<DutyKind>('kind'),
  polygonId: col.int('polygon_id'),
  polygonCode: col.text('polygon_code'),
  jurisdictionCode: col.text('jurisdiction_code'),
  countyCode: col.text('county_code'),
  year: col.int('year'),
  mu: col.numeric('mu'),
  grade: col.text('grade').orNull(),
  /** 补划 deadline, local date; null for a deduction (booked at once). */
  dueDate: col.day('due_date').orNull(),
  status: col.text<'open' | 'done'>('status'),
  sweepId: col.int('sweep_id').orNull(),
  createdAt: col.time('created_at'),
  doneAt: col.time('done_at').orNull(),
});

/** A parcel designated as permanent basic farmland in place of what a case took (补划). */
export const PBF_REPLACEMENTS = defineTable('pbf_replacements', {
  id: col.int('id'),
  dutyId: col.int('duty_id'),
  jurisdictionCode: col.text('jurisdiction_code'),
  areaMu: col.numeric('area_mu'),
  farmlandMu: col.numeric('farmland_mu'),
  registeredBy: col.int('registered_by').orNull(),
  registeredAt: col.time('registered_at'),
  geometry: col.json<Areal>('geometry').whenAsked(),
});

/** One run of the year-end sweep. */
export const YEAR_END_SWEEPS = defineTable('year_end_sweeps', {
  id: col.int('id'),
  scopePrefix: col.text('scope_prefix'),
  year: col.int('year'),
  jobId: col.text('job_id').orNull(),
  runBy: col.int('run_by').orNull(),
  runAt: col.time('run_at'),
  casesSwept: col.int('cases_swept'),
  dutiesRaised: col.int('duties_raised'),
});
