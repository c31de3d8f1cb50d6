import type { BBox } from '../geo/types.ts';
import type { Queryable } from './db.ts';
import { bboxOfRow, bboxSelect } from './bulk.ts';
import type { Scope } from './scope.ts';

/** One search hit: a 图斑 by its code or a jurisdiction by its name or code. */
export interface SearchHit {
  kind: 'polygon' | 'jurisdiction';
  id: string;
  label: string;
  detail: string;
  bbox: BBox | null;
}

/** Escapes LIKE wildcards so user text matches literally. */
const literal = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Finds 图斑 whose code starts with `text` and jurisdictions whose name contains it (or whose
 * code starts with it), inside the scope; at most `limit` of each.
 */
export async function searchPlaces(
  q: Queryable,
  scope: Scope,
  text: string,
  limit = 10,
): Promise<SearchHit[]> {
  const t = literal(text.trim());
  const pp: unknown[] = [];
  const polygons = await q.query<Record<string, unknown>>(
    `SELECT id, code, status, jurisdiction_code, ${bboxSelect()} FROM polygons
      WHERE ${scope.where('jurisdiction_code', pp)} AND code LIKE $${pp.push(`${t}%`)} ORDER BY code LIMIT ${limit}`,
    pp,
  );
  const jp: unknown[] = [];
  const places = await q.query<Record<string, unknown>>(
    `SELECT code, name, level, ${bboxSelect()} FROM jurisdictions
      WHERE ${scope.where('code', jp)} AND (name LIKE $${jp.push(`%${t}%`)} OR code LIKE $${jp.push(`${t}%`)})
      ORDER BY length(code), code LIMIT ${limit}`,
    jp,
  );
  return [
    ...polygons.map((r) => ({
      kind: 'polygon' as const,
      id: String(r.id),
      label: r.code as string,
      detail: r.status as string,
      bbox: bboxOfRow(r),
    })),
    ...places.map((r) => ({
      kind: 'jurisdiction' as const,
      id: r.code as string,
      label: r.name as string,
      detail: r.level as string,
      bbox: bboxOfRow(r),
    })),
  ];
}
