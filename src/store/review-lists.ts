import type { Queryable } from './db.ts';
import type { Scope } from './scope.ts';

/** A page of a list and how many rows the whole list has, so the office app can page it. */
export interface Page<T> {
  total: number;
  items: T[];
}

const bound = (limit: number, offset: number) =>
  `LIMIT ${Math.min(Math.max(limit, 1), 500)} OFFSET ${Math.max(offset, 0)}`;

/** Stored spot checks in scope, newest first, with their plan and sample size (not the ids). */
export async function listSpotChecks(q: Queryable, scope: Scope, limit: number, offset: number) {
  const params: unknown[] = [];
  const where = scope.where('s.jurisdiction_code', params);
  const [{ n }] = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM spot_checks s WHERE ${where}`,
    params,
  );
  const rows = await q.query<{
    id: number;
    jurisdiction_code: string;
    period: string;
    rate: number;
    population: number;
    size: number;
    created_at: Date;
    created_by: string | null;
  }>(
    `SELECT s.id::int, s.jurisdiction_code, s.period, (s.sample->>'rate')::float AS rate, (s.sample->>'population')::int AS population,
            jsonb_array_length(s.sample->'ids')::int AS size, s.created_at, u.display_name AS created_by
       FROM spot_checks s LEFT JOIN users u ON u.id = s.created_by
      WHERE ${where} ORDER BY s.created_at DESC, s.id DESC ${bound(limit, offset)}`,
    params,
  );
  return {
    total: n,
    items: rows.map((r) => ({
      id: r.id,
      jurisdictionCode: r.jurisdiction_code,
      period: r.period,
      rate: r.rate,
      population: r.population,
      size: r.size,
      createdAt: r.created_at.toISOString(),
      createdBy: r.created_by,
    })),
  };
}

/**
 * What became of each 图斑 a spot check drew: its verdict, and the spot-check finding recorded
 * on it under this check's seed (upheld, overturned, or not yet checked).
 */
export async function spotCheckOutcomes(q: Queryable, scope: Scope, id: number) {
  const params: unknown[] = [id];
  const checks = await q.query<{ seed: string; ids: string[] }>(
    `SELECT s.sample->>'seed' AS seed, s.sample->'ids' AS ids FROM spot_checks s WHERE s.id = $1 AND ${scope.where('s.jurisdiction_code', params)}`,
    params,
  );
  if (!checks.length) return null;
  const ids = checks[0].ids.map(Number).filter(Number.isFinite);
  const p2: unknown[] = [ids];
  const rows = await q.query<{
    id: number;
    code: string;
    jurisdiction_code: string;
    status: string;
    category: string | null;
    findings: { upheld: boolean; sampleSeed?: string; note?: string; at: string }[] | null;
  }>(
    `SELECT p.id::int, p.code, p.jurisdiction_code, p.status, p.case_state->'determination'->>'category' AS category, p.case_state->'spotChecks' AS findings
       FROM polygons p WHERE p.id = ANY($1::bigint[]) AND ${scope.where('p.jurisdiction_code', p2)} ORDER BY p.code`,
    p2,
  );
  return rows.map((r) => {
    const f = (r.findings ?? []).filter((x) => x.sampleSeed === checks[0].seed).at(-1);
    return {
      id: r.id,
      code: r.code,
      jurisdictionCode: r.jurisdiction_code,
      status: r.status,
      verdict: r.category,
      finding: f ? (f.upheld ? ('upheld' as const) : ('overturned' as const)) : null,
      note: f?.note ?? null,
    };
  });
}

/** Evidence flags in scope, newest first, with the 图斑 code and the flagged photo's hash (to open it). */
export async function listFlags(
  q: Queryable,
  scope: Scope,
  opts: { kind?: string; limit: number; offset: number },
) {
  const params: unknown[] = [];
  const where = [scope.where('f.jurisdiction_code', params)];
  if (opts.kind) where.push(`f.kind = $${params.push(opts.kind)}`);
  const [{ n }] = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM field_flags f WHERE ${where.join(' AND ')}`,
    params,
  );
  const rows = await q.query<{
    id: number;
    polygon_id: number;
    code: string;
    jurisdiction_code: string;
    kind: string;
    photo_index: number | null;
    message: string;
    detail: Record<string, unknown>;
    at: Date;
    sha256: string | null;
    by_name: string | null;
  }>(
    `SELECT f.id::int, f.polygon_id::int, p.code, f.jurisdiction_code, f.kind, f.photo_index, f.message, f.detail, f.at,
            s.photos->(f.photo_index)->>'sha256' AS sha256, u.display_name AS by_name
       FROM field_flags f JOIN polygons p ON p.id = f.polygon_id
       LEFT JOIN field_submissions s ON s.id = f.submission_id
       LEFT JOIN users u ON u.id = s.user_id
      WHERE ${where.join(' AND ')} ORDER BY f.at DESC, f.id DESC ${bound(opts.limit, opts.offset)}`,
    params,
  );
  return {
    total: n,
    items: rows.map((r) => ({
      id: r.id,
      polygonId: r.polygon_id,
      code: r.code,
      jurisdictionCode: r.jurisdiction_code,
      kind: r.kind,
      photo: r.photo_index,
      message: r.message,
      detail: r.detail ?? {},
      at: r.at.toISOString(),
      sha256: r.sha256,
      by: r.by_name,
    })),
  };
}
