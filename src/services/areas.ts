import { roundMu, toMu } from '../geo/area.ts';
import type { Areal } from '../geo/types.ts';
import type { Db } from '../store/db.ts';
import { countPeriodPolygons, updatePolygonArea } from '../store/polygon-upkeep.ts';
import { listPolygons } from '../store/polygons.ts';
import type { JobRun } from './job-run.ts';

const PAGE = 2000;

/** Computes ellipsoidal areas (m²) of a page of geometries; the job runs it on a worker thread. */
export type AreasOf = (geometries: Areal[]) => Promise<number[]>;

/**
 * Recomputes the ellipsoidal area (m², 亩) of every 图斑 of a period in the submitter's
 * jurisdiction — after a geometry correction or an area-rule change — in pages, one
 * transaction per page.
 */
export class AreaService {
  constructor(private readonly db: Db) {}

  async recomputePeriod(run: JobRun, period: string, areasOf: AreasOf) {
    const total = await countPeriodPolygons(this.db, run.scope, period);
    let done = 0;
    let changed = 0;
    for (let offset = 0; offset < total; offset += PAGE) {
      const page = await listPolygons(this.db, run.scope, {
        period,
        withGeometry: true,
        limit: PAGE,
        offset,
      });
      const areas = await areasOf(page.map((p) => p.geometry as Areal));
      await this.db.transaction(async (tx) => {
        for (let i = 0; i < page.length; i++) {
          if (Math.abs(areas[i] - page[i].areaM2) < 1e-6) continue;
          changed++;
          await updatePolygonArea(tx, page[i].id, areas[i], roundMu(toMu(areas[i])));
        }
      });
      done += page.length;
      await run.progress(done / total, `${done}/${total}`);
    }
    return { period, polygons: total, changed };
  }
}
