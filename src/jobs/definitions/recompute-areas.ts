import { z } from 'zod';
import { roundMu, toMu } from '../../geo/area.ts';
import type { Areal } from '../../geo/types.ts';
import { listPolygons } from '../../store/polygons.ts';
import { defineJob } from '../types.ts';

const PAGE = 2000;

/**
 * `polygons.recompute-areas`: recomputes the ellipsoidal area (m², 亩) of every 图斑 of a
 * period in the submitter's jurisdiction — after a geometry correction or an area-rule
 * change. Geometry maths runs on the thread pool in pages; updates are one transaction per page.
 */
export const recomputeAreasJob = defineJob({
  type: 'polygons.recompute-areas',
  description: 'Recompute ellipsoidal areas (m², 亩) of the 图斑 of a monitoring period',
  payload: z.object({ period: z.string().regex(/^\d{4}-\d{2}$/, 'period must look like 2026-11') }),
  async run(ctx, payload) {
    const params: unknown[] = [payload.period];
    const total = (await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM polygons WHERE period = $1 AND ${ctx.scope.where('jurisdiction_code', params)}`, params))[0].n;
    let done = 0;
    let changed = 0;
    for (let offset = 0; offset < total; offset += PAGE) {
      const page = await listPolygons(ctx.db, ctx.scope, { period: payload.period, withGeometry: true, limit: PAGE, offset });
      const areas = await ctx.threads.run<number[]>(new URL('../compute/areas.ts', import.meta.url), 'areasOf', page.map((p) => p.geometry as Areal));
      await ctx.db.transaction(async (tx) => {
        for (let i = 0; i < page.length; i++) {
          if (Math.abs(areas[i] - page[i].areaM2) < 1e-6) continue;
          changed++;
          await tx.query('UPDATE polygons SET area_m2 = $2, area_mu = $3, updated_at = now() WHERE id = $1', [page[i].id, areas[i], roundMu(toMu(areas[i]))]);
        }
      });
      done += page.length;
      await ctx.progress(done / total, `${done}/${total}`);
    }
    return { period: payload.period, polygons: total, changed };
  },
});
