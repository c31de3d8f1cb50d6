import type { PublicNotice, SpotCheckSample } from '../cases/index.ts';
import type { Queryable } from './db.ts';
import { PUBLICATIONS, SPOT_CHECKS } from './rows/oversight.ts';
import type { Scope } from './scope.ts';
import type { RecordOf, Row } from './table.ts';

export type SpotCheckRecord = RecordOf<typeof SPOT_CHECKS.columns>;

export async function insertSpotCheck(
  q: Queryable,
  scope: Scope,
  s: {
    jurisdictionCode: string;
    period: string;
    sample: SpotCheckSample;
    createdBy: number;
    at: Date;
  },
): Promise<number> {
  scope.assertCovers(s.jurisdictionCode, 'spot check');
  const { strata: _s, ids: _i, population: _p, algorithm: _a, ...plan } = s.sample;
  const rows = await q.query<{ id: number }>(
    `INSERT INTO spot_checks (jurisdiction_code, period, plan, sample, created_by, created_at) VALUES ($1,$2,$3::jsonb,$4::jsonb,$5,$6) RETURNING id`,
    [
      s.jurisdictionCode,
      s.period,
      JSON.stringify(plan),
      JSON.stringify(s.sample),
      s.createdBy,
      s.at,
    ],
  );
  return rows[0].id;
}

export async function getSpotCheck(
  q: Queryable,
  scope: Scope,
  id: number,
): Promise<SpotCheckRecord | null> {
  const params: unknown[] = [id];
  const rows = await q.query<Row>(
    `SELECT ${SPOT_CHECKS.select()} FROM spot_checks WHERE id = $1 AND ${scope.where('jurisdiction_code', params)}`,
    params,
  );
  return rows[0] ? SPOT_CHECKS.read(rows[0]) : null;
}

/** The spot checks in scope whose sample drew polygon `polygonId`, newest first (at most 20). */
export async function spotChecksDrawing(
  q: Queryable,
  scope: Scope,
  polygonId: number,
): Promise<{ seed: string; period: string; createdAt: Date; createdBy: string | null }[]> {
  const params: unknown[] = [String(polygonId)];
  const rows = await q.query<{
    seed: string;
    period: string;
    created_at: Date | string;
    created_by: string | null;
  }>(
    `SELECT s.sample->>'seed' AS seed, s.period, s.created_at, u.display_name AS created_by
       FROM spot_checks s LEFT JOIN users u ON u.id = s.created_by
      WHERE s.sample->'ids' @> jsonb_build_array($1::text) AND ${scope.where('s.jurisdiction_code', params)}
      ORDER BY s.created_at DESC, s.id DESC LIMIT 20`,
    params,
  );
  return rows.map((r) => ({
    seed: r.seed,
    period: r.period,
    createdAt: new Date(r.created_at),
    createdBy: r.created_by,
  }));
}

export async function insertPublication(
  q: Queryable,
  scope: Scope,
  p: { polygonId: number; jurisdictionCode: string; notice: PublicNotice; by: number; at: Date },
): Promise<void> {
  scope.assertCovers(p.jurisdictionCode, `publication of polygon ${p.polygonId}`);
  await q.query(
    `INSERT INTO publications (polygon_id, jurisdiction_code, notice, published_by, published_at) VALUES ($1,$2,$3::jsonb,$4,$5)
     ON CONFLICT (polygon_id) DO UPDATE SET notice = EXCLUDED.notice, published_by = EXCLUDED.published_by, published_at = EXCLUDED.published_at`,
    [p.polygonId, p.jurisdictionCode, JSON.stringify(p.notice), p.by, p.at],
  );
}

/**
 * 执法公示 for the public: only what was published, already masked. Unscoped on purpose —
 * publication is the act of making a case public — and never joined to anything private.
 */
export async function listPublications(
  q: Queryable,
  opts: { jurisdictionPrefix?: string; limit?: number; offset?: number } = {},
): Promise<
  { polygonId: number; jurisdictionCode: string; notice: PublicNotice; publishedAt: Date }[]
> {
  const params: unknown[] = [`${opts.jurisdictionPrefix ?? ''}%`];
  const rows = await q.query<Row>(
    `SELECT ${PUBLICATIONS.select()} FROM publications WHERE jurisdiction_code LIKE $1
      ORDER BY published_at DESC LIMIT ${Math.min(opts.limit ?? 100, 1000)} OFFSET ${Math.max(opts.offset ?? 0, 0)}`,
    params,
  );
  return rows.map(PUBLICATIONS.read);
}

/** How many cases are published under a jurisdiction prefix: the public list's total, for paging. */
export async function countPublications(q: Queryable, jurisdictionPrefix = ''): Promise<number> {
  const rows = await q.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM publications WHERE jurisdiction_code LIKE $1',
    [`${jurisdictionPrefix}%`],
  );
  return rows[0].n;
}
