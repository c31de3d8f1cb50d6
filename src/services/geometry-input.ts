import { GengbaoError } from '../errors.ts';
import { pointOnSurface } from '../geo/contains.ts';
import type { Areal } from '../geo/types.ts';
import { checkInputGeometry } from '../geo/validate-input.ts';
import { covers } from '../grid/index.ts';
import type { Queryable } from '../store/db.ts';
import { locateJurisdiction } from '../store/field-leads.ts';
import { Scope } from '../store/scope.ts';

/**
 * Where a geometry or point handed in by a person or a device lies, checked against the
 * jurisdictions it must stay inside: tip triage drew 图斑 in another county, patrol findings
 * landed in a village the chief does not serve, cameras reported places outside their county.
 * Located over the whole grid, so "elsewhere" is told apart from "nowhere".
 */

const outside = (field: string, within: string[]) =>
  new GengbaoError(
    'forbidden_jurisdiction',
    `位置不在辖区 ${within.filter(Boolean).join(' / ') || '全部'} 之内 / the ${field} lies outside jurisdiction ${within.filter(Boolean).join(' and ') || 'all'}`,
    { field },
  );

/** The finest jurisdiction containing the point, or throws unless every `within` prefix covers it. */
export async function placePoint(
  q: Queryable,
  lon: number,
  lat: number,
  within: string[],
  field: string,
): Promise<string> {
  const code = await locateJurisdiction(q, Scope.system(), lon, lat);
  if (!code || !within.every((w) => covers(w, code))) throw outside(field, within);
  return code;
}

/**
 * A geometry for a new 图斑: valid and bounded (checkInputGeometry) and lying — by a point on
 * its surface — inside every `within` prefix. Returns it with the finest jurisdiction it lies
 * in. Throws before anything is written.
 */
export async function placeGeometry(
  q: Queryable,
  g: unknown,
  within: string[],
  field = 'geometry',
): Promise<{ geometry: Areal; jurisdictionCode: string }> {
  const geometry = checkInputGeometry(g, { field });
  const [x, y] = pointOnSurface(geometry);
  return { geometry, jurisdictionCode: await placePoint(q, x, y, within, field) };
}
