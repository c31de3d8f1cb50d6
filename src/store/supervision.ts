import type { PolygonCaseState } from '../cases/index.ts';
import type { AccountabilityInput, HandoverDocument } from '../oversight/index.ts';
import type { Queryable } from './db.ts';
import { POLYGONS } from './rows/polygons.ts';
import { col } from './table.ts';
import type { Scope } from './scope.ts';
import type { RecordOf, Row } from './table.ts';

/**
 * What the registers, scorecards and the report on leads from above read, and the two tables
 * of migration 009: handing-over documents of leads and accountability measures (约谈, 通报批评,
 * rewards, penalties). Always in the caller's scope.
 */
const SUPERVISED = POLYGONS.pick(
  'id',
  'code',
  'period',
  'jurisdictionCode',
  'source',
  'bbox',
).extend({
  state: col.json<PolygonCaseState>('case_state').orNull(),
  createdAt: POLYGONS.columns.createdAt,
});
export type SupervisedCase = RecordOf<typeof SUPERVISED.columns>;

/** Cases with their state in the scope, optionally of periods starting with `periodPrefix` ('2026', '2026-11'). */
export async function supervisedCases(
  q: Queryable,
  scope: Scope,
  opts: { periodPrefix?: string; sources?: readonly string[] } = {},
): Promise<SupervisedCase[]> {
  const params: unknown[] = [];
  const where = [scope.where('jurisdiction_code', params), 'case_state IS NOT NULL'];
  if (opts.periodPrefix) {
    params.push(`${opts.periodPrefix}%`);
    where.push(`period LIKE $${params.length}`);
  }
  if (opts.sources) {
    params.push([...opts.sources]);
    where.push(`source = ANY($${params.length}::text[])`);
  }
  const rows = await q.query<Row>(
    `SELECT ${SUPERVISED.select()} FROM polygons WHERE ${where.join(' AND ')} ORDER BY id`,
    params,
  );
  return rows.map(SUPERVISED.read);
}

/** Names and units of the people a register names (ids as the record keeps them). */
export async function peopleByIds(
  q: Queryable,
  ids: readonly string[],
): Promise<Map<string, { name: string; unitCode: string; unitName: string | null }>> {
  const numeric = [...new Set(ids)].filter((i) => /^\d{1,15}$/.test(i)).map(Number);
  if (!numeric.length) return new Map();
  const rows = await q.query<{
    id: number;
    display_name: string;
    jurisdiction_code: string;
    name: string | null;
  }>(
    `SELECT u.id, u.display_name, u.jurisdiction_code, j.name FROM users u LEFT JOIN jurisdictions j ON j.code = u.jurisdiction_code WHERE u.id = ANY($1::bigint[])`,
    [numeric],
  );
  return new Map(
    rows.map((r) => [
      String(r.id),
      { name: r.display_name, unitCode: r.jurisdiction_code, unitName: r.name },
    ]),
  );
}

/** Names of units by code. */
export async function unitNames(
  q: Queryable,
  codes: readonly string[],
): Promise<Map<string, string>> {
  if (!codes.length) return new Map();
  const rows = await q.query<{ code: string; name: string }>(
    `SELECT code, name FROM jurisdictions WHERE code = ANY($1::text[])`,
    [[...new Set(codes)]],
  );
  return new Map(rows.map((r) => [r.code, r.name]));
}

export interface HandoverRecord extends HandoverDocument {
  polygonId: number;
  source: string;
  jurisdictionCode: string;
  fileSha256: string | null;
  fileName: string | null;
  fileMediaType: string | null;
  receivedBy: number | null;
  receivedAt: Date;
}

export async function insertHandover(q: Queryable, scope: Scope, h: HandoverRecord): Promise<void> {
  scope.assertCovers(h.jurisdictionCode, 'lead handover');
  await q.query(
    `INSERT INTO lead_handovers (polygon_id, source, jurisdiction_code, doc_no, doc_date, issuing_body, summary, file_sha256, file_name, file_media_type, received_by, received_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
    [
      h.polygonId,
      h.source,
      h.jurisdictionCode,
      h.docNo,
      h.docDate,
      h.issuingBody,
      h.summary,
      h.fileSha256,
      h.fileName,
      h.fileMediaType,
      h.receivedBy,
      h.receivedAt,
    ],
  );
}

export interface HandoverWithCase extends HandoverRecord {
  polygonCode: string;
  period: string;
  caseJurisdictionCode: string;
  state: PolygonCaseState | null;
}

/** Handed-over leads in the scope whose document is dated in [from, to] (local dates, inclusive). */
export async function listHandovers(
  q: Queryable,
  scope: Scope,
  f: { from?: string; to?: string; source?: string } = {},
): Promise<HandoverWithCase[]> {
  const params: unknown[] = [];
  const where = [scope.where('p.jurisdiction_code', params)];
  if (f.from) where.push(`h.doc_date >= $${params.push(f.from)}`);
  if (f.to) where.push(`h.doc_date <= $${params.push(f.to)}`);
  if (f.source) where.push(`h.source = $${params.push(f.source)}`);
  const rows = await q.query<Record<string, unknown>>(
    `SELECT h.*, to_char(h.doc_date, 'YYYY-MM-DD') AS doc_day, p.code, p.period, p.jurisdiction_code AS case_code, p.case_state
       FROM lead_handovers h JOIN polygons p ON p.id = h.polygon_id
      WHERE ${where.join(' AND ')} ORDER BY h.doc_date, h.polygon_id`,
    params,
  );
  return rows.map((r) => ({
    polygonId: Number(r.polygon_id),
    source: String(r.source),
    jurisdictionCode: String(r.jurisdiction_code),
    docNo: String(r.doc_no),
    docDate: String(r.doc_day),
    issuingBody: String(r.issuing_body),
    summary: String(r.summary ?? ''),
    fileSha256: (r.file_sha256 as string | null) ?? null,
    fileName: (r.file_name as string | null) ?? null,
    fileMediaType: (r.file_media_type as string | null) ?? null,
    receivedBy: r.received_by == null ? null : Number(r.received_by),
    receivedAt: new Date(r.received_at as string),
    polygonCode: String(r.code),
    period: String(r.period),
    caseJurisdictionCode: String(r.case_code),
    state: (typeof r.case_state === 'string'
      ? JSON.parse(r.case_state)
      : r.case_state) as PolygonCaseState | null,
  }));
}

export interface AccountabilityRecord extends Omit<AccountabilityInput, 'unitCode'> {
  id: number;
  jurisdictionCode: string;
  recordedBy: number | null;
  recordedAt: Date;
}

export async function insertAccountability(
  q: Queryable,
  scope: Scope,
  a: AccountabilityInput,
  by: number,
  at: Date,
): Promise<AccountabilityRecord> {
  scope.assertCovers(a.unitCode, 'accountability record');
  const rows = await q.query<{ id: number }>(
    `INSERT INTO accountability_records (kind, jurisdiction_code, person_name, person_position, year, basis, doc_no, issued_on, issuing_body, reason, note, recorded_by, recorded_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) RETURNING id`,
    [
      a.kind,
      a.unitCode,
      a.personName ?? null,
      a.personPosition ?? null,
      a.year,
      a.basis,
      a.docNo,
      a.issuedOn,
      a.issuingBody,
      a.reason,
      a.note,
      by,
      at,
    ],
  );
  const { unitCode, ...rest } = a;
  return {
    ...rest,
    id: Number(rows[0].id),
    jurisdictionCode: unitCode,
    recordedBy: by,
    recordedAt: at,
  };
}

export async function listAccountability(
  q: Queryable,
  scope: Scope,
  f: { kind?: string; year?: number; unit?: string; person?: string } = {},
): Promise<AccountabilityRecord[]> {
  const params: unknown[] = [];
  const where = [scope.where('jurisdiction_code', params)];
  if (f.kind) where.push(`kind = $${params.push(f.kind)}`);
  if (f.year) where.push(`year = $${params.push(f.year)}`);
  if (f.unit) where.push(`jurisdiction_code LIKE $${params.push(`${f.unit}%`)}`);
  if (f.person) where.push(`person_name LIKE $${params.push(`%${f.person}%`)}`);
  const rows = await q.query<Record<string, unknown>>(
    `SELECT *, to_char(issued_on, 'YYYY-MM-DD') AS issued_day FROM accountability_records WHERE ${where.join(' AND ')} ORDER BY issued_on DESC, id DESC`,
    params,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind as AccountabilityRecord['kind'],
    jurisdictionCode: String(r.jurisdiction_code),
    personName: (r.person_name as string | null) ?? undefined,
    personPosition: (r.person_position as string | null) ?? undefined,
    year: Number(r.year),
    basis: r.basis as AccountabilityRecord['basis'],
    docNo: String(r.doc_no),
    issuedOn: String(r.issued_day),
    issuingBody: String(r.issuing_body),
    reason: String(r.reason),
    note: String(r.note ?? ''),
    recordedBy: r.recorded_by == null ? null : Number(r.recorded_by),
    recordedAt: new Date(r.recorded_at as string),
  }));
}
