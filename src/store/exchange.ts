import type { PolygonCaseState } from '../cases/index.ts';
import type { Areal } from '../geo/types.ts';
import type { Queryable } from './db.ts';
import type { Scope } from './scope.ts';

/**
 * What the exchange with a province reads and writes: 图斑 with their case and the names of
 * their county, township and village (one query, no per-row look-ups), and the province's
 * results kept on the 图斑 they were matched to.
 */

export interface ExchangeRow {
  id: number;
  code: string;
  period: string;
  source: string;
  status: string;
  jurisdictionCode: string;
  areaMu: number;
  geometry: Areal;
  state: PolygonCaseState | null;
  names: { county: string | null; township: string | null; village: string | null };
}

/** The 图斑 of the scope (of one period when given), in code order. */
export async function exchangeRows(
  q: Queryable,
  scope: Scope,
  opts: { period?: string } = {},
): Promise<ExchangeRow[]> {
  const params: unknown[] = [];
  const where = [scope.where('p.jurisdiction_code', params)];
  if (opts.period) {
    params.push(opts.period);
    where.push(`p.period = $${params.length}`);
  }
  const rows = await q.query<Record<string, unknown>>(
    `SELECT p.id, p.code, p.period, p.source, p.status, p.jurisdiction_code, p.area_mu, p.geometry, p.case_state,
            c.name AS county, t.name AS township, v.name AS village
       FROM polygons p
       LEFT JOIN jurisdictions c ON c.code = left(p.jurisdiction_code, 6)
       LEFT JOIN jurisdictions t ON length(p.jurisdiction_code) >= 9 AND t.code = left(p.jurisdiction_code, 9)
       LEFT JOIN jurisdictions v ON length(p.jurisdiction_code) >= 12 AND v.code = left(p.jurisdiction_code, 12)
      WHERE ${where.join(' AND ')} ORDER BY p.code`,
    params,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    code: String(r.code),
    period: String(r.period),
    source: String(r.source),
    status: String(r.status),
    jurisdictionCode: String(r.jurisdiction_code),
    areaMu: Number(r.area_mu),
    geometry: r.geometry as Areal,
    state: (r.case_state as PolygonCaseState | null) ?? null,
    names: {
      county: (r.county as string | null) ?? null,
      township: (r.township as string | null) ?? null,
      village: (r.village as string | null) ?? null,
    },
  }));
}

/** The stored 图斑 of these codes, whoever's they are: the caller's scope decides what is refused. */
export async function polygonsByCode(
  q: Queryable,
  codes: string[],
): Promise<Map<string, { id: number; jurisdictionCode: string }>> {
  if (!codes.length) return new Map();
  const rows = await q.query<{ id: number; code: string; jurisdiction_code: string }>(
    'SELECT id, code, jurisdiction_code FROM polygons WHERE code = ANY($1::text[])',
    [codes],
  );
  return new Map(
    rows.map((r) => [r.code, { id: Number(r.id), jurisdictionCode: r.jurisdiction_code }]),
  );
}

/** Keeps the province's result on a 图斑 (`properties.provinceResult`), replacing an earlier one. */
export async function setProvinceResult(
  q: Queryable,
  scope: Scope,
  id: number,
  result: Record<string, unknown>,
): Promise<void> {
  const params: unknown[] = [id, JSON.stringify(result)];
  await q.query(
    `UPDATE polygons SET properties = properties || jsonb_build_object('provinceResult', $2::jsonb)
      WHERE id = $1 AND ${scope.where('jurisdiction_code', params)}`,
    params,
  );
}
