import type { EvidenceFlag } from '../field/evidence.ts';
import type { Queryable } from './db.ts';
import { FLAGS, SUBMISSIONS } from './rows/field.ts';
import type { Scope } from './scope.ts';
import type { RecordOf, Row } from './table.ts';

export type { StoredPhoto } from './rows/field.ts';

export type SubmissionRow = RecordOf<typeof SUBMISSIONS.columns>;

const toSubmission = (r: Row): SubmissionRow => SUBMISSIONS.read(r);

/** Records an evidence file's metadata (the bytes are in EvidenceFiles). Idempotent. */
export async function recordEvidenceFile(
  q: Queryable,
  scope: Scope,
  f: { sha256: string; mediaType: string; bytes: number; jurisdictionCode: string; at: Date },
): Promise<void> {
  scope.assertCovers(f.jurisdictionCode, 'evidence');
  await q.query(
    `INSERT INTO evidence_files (sha256, media_type, bytes, jurisdiction_code, stored_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sha256) DO NOTHING`,
    [f.sha256, f.mediaType, f.bytes, f.jurisdictionCode, f.at],
  );
}

/** The media type of an evidence file inside the scope, or null (no existence leak). */
export async function evidenceFileOf(
  q: Queryable,
  scope: Scope,
  sha256: string,
): Promise<{ mediaType: string } | null> {
  const params: unknown[] = [sha256];
  const rows = await q.query<{ media_type: string }>(
    `SELECT media_type FROM evidence_files WHERE sha256 = $1 AND ${scope.where('jurisdiction_code', params)}`,
    params,
  );
  return rows[0] ? { mediaType: rows[0].media_type } : null;
}

/** A submission by its client id, inside the scope. */
export async function getSubmission(
  q: Queryable,
  scope: Scope,
  id: string,
): Promise<SubmissionRow | null> {
  const params: unknown[] = [id];
  const rows = await q.query<Row>(
    `SELECT ${SUBMISSIONS.select()} FROM field_submissions WHERE id = $1 AND ${scope.where('jurisdiction_code', params)}`,
    params,
  );
  return rows[0] ? toSubmission(rows[0]) : null;
}

/**
 * Claims a submission id: inserts it as pending and returns true, or returns false when the id
 * is already stored (a replay, or the same submission arriving twice at once) — the primary
 * key decides, so two racing copies can never both run.
 */
export async function claimSubmission(
  q: Queryable,
  scope: Scope,
  s: Omit<SubmissionRow, 'status' | 'result'>,
): Promise<boolean> {
  scope.assertCovers(s.jurisdictionCode, `polygon ${s.polygonId}`);
  const rows = await q.query(
    `INSERT INTO field_submissions (id, polygon_id, jurisdiction_code, user_id, status, form, photos, received_at)
     VALUES ($1, $2, $3, $4, 'pending', $5::jsonb, $6::jsonb, $7) ON CONFLICT (id) DO NOTHING RETURNING id`,
    [
      s.id,
      s.polygonId,
      s.jurisdictionCode,
      s.userId,
      JSON.stringify(s.form),
      JSON.stringify(s.photos),
      s.receivedAt,
    ],
  );
  return rows.length === 1;
}

/** Stores the answer of a claimed submission (the answer every replay gets). */
export async function finishSubmission(
  q: Queryable,
  scope: Scope,
  id: string,
  status: 'accepted' | 'refused',
  result: Record<string, unknown>,
): Promise<void> {
  const params: unknown[] = [id, status, JSON.stringify(result)];
  await q.query(
    `UPDATE field_submissions SET status = $2, result = $3::jsonb WHERE id = $1 AND ${scope.where('jurisdiction_code', params)}`,
    params,
  );
}

/** Drops a pending claim after a failure that was not the submission's fault (so a retry may run). */
export async function releaseSubmission(q: Queryable, scope: Scope, id: string): Promise<void> {
  const params: unknown[] = [id];
  await q.query(
    `DELETE FROM field_submissions WHERE id = $1 AND status = 'pending' AND ${scope.where('jurisdiction_code', params)}`,
    params,
  );
}

export async function submissionsOfPolygon(
  q: Queryable,
  scope: Scope,
  polygonId: number,
): Promise<SubmissionRow[]> {
  const params: unknown[] = [polygonId];
  const rows = await q.query<Row>(
    `SELECT ${SUBMISSIONS.select()} FROM field_submissions WHERE polygon_id = $1 AND ${scope.where('jurisdiction_code', params)} ORDER BY received_at`,
    params,
  );
  return rows.map(toSubmission);
}

export interface StoredFlag extends EvidenceFlag {
  id: number;
  submissionId: string | null;
  polygonId: number;
  jurisdictionCode: string;
  at: Date;
}

export async function insertFlags(
  q: Queryable,
  scope: Scope,
  f: {
    submissionId: string | null;
    polygonId: number;
    jurisdictionCode: string;
    at: Date;
    flags: EvidenceFlag[];
  },
): Promise<void> {
  if (!f.flags.length) return;
  scope.assertCovers(f.jurisdictionCode, `polygon ${f.polygonId}`);
  const rows = f.flags.map((x) => [
    f.submissionId,
    f.polygonId,
    f.jurisdictionCode,
    x.kind,
    x.photo,
    x.message,
    JSON.stringify(x.detail),
    f.at,
  ]);
  for (const r of rows) {
    await q.query(
      `INSERT INTO field_flags (submission_id, polygon_id, jurisdiction_code, kind, photo_index, message, detail, at) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)`,
      r,
    );
  }
}

export async function flagsOfPolygon(
  q: Queryable,
  scope: Scope,
  polygonId: number,
): Promise<StoredFlag[]> {
  const params: unknown[] = [polygonId];
  const rows = await q.query<Row>(
    `SELECT ${FLAGS.select()} FROM field_flags WHERE polygon_id = $1 AND ${scope.where('jurisdiction_code', params)} ORDER BY id`,
    params,
  );
  return rows.map(FLAGS.read);
}

/**
 * Flag statistics for a period (the polygons' monitoring period): per county, the number of
 * submissions, of flagged submissions and of flags by kind.
 */
export async function flagSummary(
  q: Queryable,
  scope: Scope,
  period?: string,
): Promise<
  {
    county: string;
    submissions: number;
    flaggedSubmissions: number;
    byKind: Record<string, number>;
  }[]
> {
  const params: unknown[] = [];
  const where = [scope.where('s.jurisdiction_code', params)];
  if (period) where.push(`p.period = $${params.push(period)}`);
  const subs = await q.query<{ county: string; submissions: number; flagged: number }>(
    `SELECT left(s.jurisdiction_code, 6) AS county, count(*)::int AS submissions,
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM field_flags f WHERE f.submission_id = s.id))::int AS flagged
       FROM field_submissions s JOIN polygons p ON p.id = s.polygon_id
      WHERE ${where.join(' AND ')} GROUP BY 1 ORDER BY 1`,
    params,
  );
  const fparams: unknown[] = [];
  const fwhere = [scope.where('f.jurisdiction_code', fparams)];
  if (period) fwhere.push(`p.period = $${fparams.push(period)}`);
  const kinds = await q.query<{ county: string; kind: string; n: number }>(
    `SELECT left(f.jurisdiction_code, 6) AS county, f.kind, count(*)::int AS n
       FROM field_flags f JOIN polygons p ON p.id = f.polygon_id WHERE ${fwhere.join(' AND ')} GROUP BY 1, 2`,
    fparams,
  );
  const out = new Map<
    string,
    {
      county: string;
      submissions: number;
      flaggedSubmissions: number;
      byKind: Record<string, number>;
    }
  >();
  for (const s of subs)
    out.set(s.county, {
      county: s.county,
      submissions: s.submissions,
      flaggedSubmissions: s.flagged,
      byKind: {},
    });
  for (const k of kinds) {
    const row = out.get(k.county) ?? {
      county: k.county,
      submissions: 0,
      flaggedSubmissions: 0,
      byKind: {},
    };
    row.byKind[k.kind] = k.n;
    out.set(k.county, row);
  }
  return [...out.values()].sort((a, b) => a.county.localeCompare(b.county));
}
