import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFeatures } from '../geo/formats/write.ts';
import type { Feature } from '../geo/types.ts';
import type { Db, Queryable } from '../store/db.ts';
import { listPolygons, type PolygonQuery } from '../store/polygons.ts';
import type { Scope } from '../store/scope.ts';

/** Export columns: ASCII names every GIS and spreadsheet shows, figures as 套合 left them. */
const FIGURE_COLUMNS = [
  'farm_mu',
  'pbf_mu',
  'red_mu',
  'appr_mu',
  'facil_mu',
  'temp_mu',
  'home_mu',
  'unappr_mu',
  'flags',
  'jur_code',
  'jur_name',
] as const;

/**
 * The 图斑 of the caller's jurisdiction as export features, page by page: code, source,
 * period, status, unit, ellipsoidal area (m², 亩) and the overlay figures.
 */
export async function* polygonExportFeatures(
  q: Queryable,
  scope: Scope,
  filter: Omit<PolygonQuery, 'limit' | 'offset' | 'withGeometry'> = {},
): AsyncGenerator<Feature> {
  for (let offset = 0; ; offset += 2000) {
    const page = await listPolygons(q, scope, {
      ...filter,
      withGeometry: true,
      limit: 2000,
      offset,
    });
    for (const p of page) {
      const figures = Object.fromEntries(
        FIGURE_COLUMNS.map((c) => [c, (p.properties[c] as string | number | undefined) ?? null]),
      );
      yield {
        type: 'Feature',
        id: p.id,
        geometry: p.geometry!,
        properties: {
          code: p.code,
          source: p.source,
          period: p.period,
          status: p.status,
          unit_code: p.jurisdictionCode,
          area_m2: Math.round(p.areaM2 * 100) / 100,
          area_mu: p.areaMu,
          ...figures,
        },
      };
    }
    if (page.length < 2000) return;
  }
}

/** Exports of one installation, bound to its database and clock (files carry their date). */
export class ExportService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  polygonFeatures(
    scope: Scope,
    filter: Omit<PolygonQuery, 'limit' | 'offset' | 'withGeometry'> = {},
  ): AsyncGenerator<Feature> {
    return polygonExportFeatures(this.db, scope, filter);
  }

  /**
   * The 图斑 of a scope as one file of the format its extension names, read back into memory
   * for a download: written in a private temporary folder that is removed afterwards.
   */
  async polygonFile(
    scope: Scope,
    filter: Omit<PolygonQuery, 'limit' | 'offset' | 'withGeometry'>,
    ext: string,
  ): Promise<{ name: string; bytes: Buffer }> {
    const dir = await mkdtemp(join(tmpdir(), 'gengbao-export-'));
    try {
      const name = `tuban-${filter.period ?? 'all'}-${scope.prefix || 'all'}.${ext}`;
      await writeFeatures(join(dir, name), this.polygonFeatures(scope, filter), {
        now: this.now(),
        layer: 'tuban',
      });
      return { name, bytes: await readFile(join(dir, name)) };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
