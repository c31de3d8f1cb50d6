import { z } from 'zod';
import type { Layers } from '../../analyze/analyze.ts';
import { analyseInputOf } from '../../analyze/case-input.ts';
import type { PolygonFigures } from '../../analyze/figures.ts';
import { figureProperties } from '../../analyze/properties.ts';
import { GengbaoError } from '../../errors.ts';
import type { Areal, BBox, Feature } from '../../geo/types.ts';
import { CaseService } from '../../server/services/cases.ts';
import { listJurisdictions } from '../../store/jurisdictions.ts';
import { listPolygons, type PolygonRecord } from '../../store/polygons.ts';
import { referenceFeatureStream } from '../../store/reference.ts';
import { getUserById, principalOf } from '../../store/users.ts';
import type { AnalyzeInput } from '../compute/analyze.ts';
import { defineJob } from '../types.ts';

function unionBox(items: { bbox: BBox }[]): BBox {
  return items.reduce<BBox>((b, p) => [Math.min(b[0], p.bbox[0]), Math.min(b[1], p.bbox[1]), Math.max(b[2], p.bbox[2]), Math.max(b[3], p.bbox[3])], [Infinity, Infinity, -Infinity, -Infinity]);
}

const asFeature = (p: PolygonRecord): Feature => ({ type: 'Feature', id: p.id, geometry: p.geometry as Areal, properties: {} });

/**
 * `analysis.period`: 套合 of a monitoring period's 图斑 in the submitter's jurisdiction against
 * the stored reference layers, the village grid and earlier periods' 图斑. Each polygon gets
 * its figures (m², 亩 per layer, approved part, unapproved farmland, flags, village, repeats);
 * those still `found` take the `analyse` transition in the submitter's name when their role
 * allows it (monitoring analysts and city reviewers), so their case moves on with the figures
 * in its record.
 */
export const analyzePeriodJob = defineJob({
  type: 'analysis.period',
  description: '套合: overlay a period’s 图斑 with farmland, permanent basic farmland, approvals…',
  payload: z.object({ period: z.string().regex(/^\d{4}-\d{2}$/, 'period must look like 2026-11') }),
  async run(ctx, payload) {
    const user = ctx.actorId ? await getUserById(ctx.db, ctx.actorId) : null;
    if (!user) throw new GengbaoError('forbidden', 'analysis needs a submitting user');
    const principal = principalOf(user);
    const polygons: PolygonRecord[] = [];
    for (let offset = 0; ; offset += 10000) {
      const page = await listPolygons(ctx.db, ctx.scope, { period: payload.period, withGeometry: true, limit: 10000, offset });
      polygons.push(...page);
      if (page.length < 10000) break;
    }
    if (!polygons.length) return { period: payload.period, polygons: 0 };
    await ctx.progress(0.1, `${polygons.length} 图斑; reading reference layers`);
    const box = unionBox(polygons);
    const layers: Layers = {};
    let features = 0;
    for await (const page of referenceFeatureStream(ctx.db, ctx.scope, box)) {
      for (const f of page) ((layers[f.kind] ??= []) as Feature[]).push({ type: 'Feature', id: f.id, geometry: f.geometry!, properties: f.properties });
      features += page.length;
    }
    const villages = (await listJurisdictions(ctx.db, ctx.scope, { level: 'village', bbox: box, withGeometry: true }))
      .filter((j) => j.geometry)
      .map((j): Feature => ({ type: 'Feature', id: j.code, geometry: j.geometry as Areal, properties: { code: j.code, name: j.name } }));
    const earlier = (await listPolygons(ctx.db, ctx.scope, { bbox: box, withGeometry: true, limit: 10000 })).filter((p) => p.period < payload.period);
    await ctx.progress(0.3, `overlay with ${features} reference features`);
    const input: AnalyzeInput = { polygons: polygons.map(asFeature), layers, jurisdictions: villages, earlier: earlier.map((p) => ({ ...asFeature(p), id: p.code })) };
    const figures = await ctx.threads.run<PolygonFigures[]>(new URL('../compute/analyze.ts', import.meta.url), 'analyzeOnThread', input);
    await ctx.progress(0.7, 'storing figures');
    await ctx.db.transaction(async (tx) => {
      for (let i = 0; i < polygons.length; i++) {
        const extra = { ...figureProperties(figures[i]), villageCode: figures[i].jurisdiction?.code ?? polygons[i].jurisdictionCode };
        const params: unknown[] = [polygons[i].id, JSON.stringify(extra)];
        await tx.query(`UPDATE polygons SET properties = properties || $2::jsonb, updated_at = now() WHERE id = $1 AND ${ctx.scope.where('jurisdiction_code', params)}`, params);
      }
    });
    const cases = new CaseService(ctx.db);
    let analysed = 0;
    const refused: string[] = [];
    for (let i = 0; i < polygons.length; i++) {
      if (polygons[i].status !== 'found') continue;
      try {
        await cases.act(principal, polygons[i].id, 'analyse', { version: polygons[i].version, ...analyseInputOf(figures[i]) });
        analysed++;
      } catch (e) {
        refused.push(`${polygons[i].code}: ${(e as Error).message}`);
      }
      if (i % 50 === 0) await ctx.progress(0.7 + (0.3 * i) / polygons.length);
    }
    return { period: payload.period, polygons: polygons.length, referenceFeatures: features, analysed, refused: refused.slice(0, 20), refusedCount: refused.length };
  },
});
