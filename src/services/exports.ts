import type { Feature } from '../../geo/types.ts';
import type { Queryable } from '../../store/db.ts';
import { listPolygons, type PolygonQuery } from '../../store/polygons.ts';
import type { Scope } from '../../store/scope.ts';

/** Export columns: ASCII names every GIS and spreadsheet shows, figures as 套合 left them. */
const FIGURE_COLUMNS = ['farm_mu', 'pbf_mu', 'red_mu', 'appr_mu', 'facil_mu', 'temp_mu', 'home_mu', 'unappr_mu', 'flags', 'jur_code', 'jur_name'] as const;

/**
 * The 图斑 of the caller's jurisdiction as export features, page by page: code, source,
 * period, status, unit, ellipsoidal area (m², 亩) and the overlay figures.
 */
export async function* polygonExportFeatures(q: Queryable, scope: Scope, filter: Omit<PolygonQuery, 'limit' | 'offset' | 'withGeometry'> = {}): AsyncGenerator<Feature> {
  for (let offset = 0; ; offset += 2000) {
    const page = await listPolygons(q, scope, { ...filter, withGeometry: true, limit: 2000, offset });
    for (const p of page) {
      const figures = Object.fromEntries(FIGURE_COLUMNS.map((c) => [c, (p.properties[c] as string | number | undefined) ?? null]));
      yield {
        type: 'Feature',
        id: p.id,
        geometry: p.geometry!,
        properties: { code: p.code, source: p.source, period: p.period, status: p.status, unit_code: p.jurisdictionCode, area_m2: Math.round(p.areaM2 * 100) / 100, area_mu: p.areaMu, ...figures },
      };
    }
    if (page.length < 2000) return;
  }
}
