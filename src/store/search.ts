import type { BBox } from '../geo/types.ts';
import type { Queryable } from './db.ts';
import { JURISDICTIONS } from './rows/jurisdictions.ts';
import { POLYGONS } from './rows/polygons.ts';
import type { Scope } from './scope.ts';
import type { Row } from './table.ts';

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

const POLYGON_HIT = POLYGONS.pick('id', 'code', 'status', 'bbox');
const PLACE_HIT = JURISDICTIONS.pick('code', 'name', 'level', 'bbox');

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
  const polygons = await q.query<Row>(
    `SELECT ${POLYGON_HIT.select()} FROM polygons
      WHERE ${scope.where('jurisdiction_code', pp)} AND code LIKE $${pp.push(`${t}%`)} ORDER BY code LIMIT ${limit}`,
    pp,
  );
  const jp: unknown[] = [];
  const places = await q.query<Row>(
    `SELECT ${PLACE_HIT.select()} FROM jurisdictions
      WHERE ${scope.where('code', jp)} AND (name LIKE $${jp.push(`%${t}%`)} OR code LIKE $${jp.push(`${t}%`)})
      ORDER BY length(code), code LIMIT ${limit}`,
    jp,
  );
  return [
    ...polygons.map(POLYGON_HIT.read).map((p) => ({
      kind: 'polygon' as const,
      id: String(p.id),
      label: p.code,
      detail: p.status,
      bbox: p.bbox,
    })),
    ...places.map(PLACE_HIT.read).map((j) => ({
      kind: 'jurisdiction' as const,
      id: j.code,
      label: j.name,
      detail: j.level,
      bbox: j.bbox,
    })),
  ];
}
