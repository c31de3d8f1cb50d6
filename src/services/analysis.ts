import type { Layers } from '../analyze/analyze.ts';
import { analyseInputOf } from '../analyze/case-input.ts';
import type { PolygonFigures } from '../analyze/figures.ts';
import { figureProperties } from '../analyze/properties.ts';
import type { Areal, BBox, Feature } from '../geo/types.ts';
import type { Db } from '../store/db.ts';
import { listJurisdictions } from '../store/jurisdictions.ts';
import { mergePolygonProperties } from '../store/polygon-upkeep.ts';
import { listPolygons, type PolygonRecord } from '../store/polygons.ts';
import { referenceFeatureStream } from '../store/reference.ts';
import type { CaseService } from './cases.ts';
import { submitterOf, type JobRun } from './job-run.ts';

/** What the overlay of a period needs: its 图斑, the reference layers, the villages, earlier 图斑. */
export interface OverlayInput {
  polygons: Feature[];
  layers: Layers;
  jurisdictions: Feature[];
  earlier: Feature[];
}

/** Runs the 套合 itself; the job hands it to a worker thread so the server keeps answering. */
export type Overlay = (input: OverlayInput) => Promise<PolygonFigures[]>;

function unionBox(items: { bbox: BBox }[]): BBox {
  return items.reduce<BBox>(
    (b, p) => [
      Math.min(b[0], p.bbox[0]),
      Math.min(b[1], p.bbox[1]),
      Math.max(b[2], p.bbox[2]),
      Math.max(b[3], p.bbox[3]),
    ],
    [Infinity, Infinity, -Infinity, -Infinity],
  );
}

const asFeature = (p: PolygonRecord): Feature => ({
  type: 'Feature',
  id: p.id,
  geometry: p.geometry as Areal,
  properties: {},
});

/**
 * 套合 of a monitoring period's 图斑 in the submitter's jurisdiction against the stored
 * reference layers, the village grid and earlier periods' 图斑. Each polygon gets its figures
 * (m², 亩 per layer, approved part, unapproved farmland, flags, village, repeats); those still
 * `found` take the `analyse` transition in the submitter's name when their role allows it
 * (monitoring analysts and city reviewers), so their case moves on with the figures in its record.
 */
export class AnalysisService {
  constructor(
    private readonly db: Db,
    private readonly cases: CaseService,
  ) {}

  async analysePeriod(run: JobRun, period: string, overlay: Overlay) {
    const principal = await submitterOf(this.db, run, 'analysis');
    const polygons: PolygonRecord[] = [];
    for (let offset = 0; ; offset += 10000) {
      const page = await listPolygons(this.db, run.scope, {
        period,
        withGeometry: true,
        limit: 10000,
        offset,
      });
      polygons.push(...page);
      if (page.length < 10000) break;
    }
    if (!polygons.length) return { period, polygons: 0 };
    await run.progress(0.1, `${polygons.length} 图斑; reading reference layers`);
    const box = unionBox(polygons);
    const layers: Layers = {};
    let features = 0;
    for await (const page of referenceFeatureStream(this.db, run.scope, box)) {
      for (const f of page)
        ((layers[f.kind] ??= []) as Feature[]).push({
          type: 'Feature',
          id: f.id,
          geometry: f.geometry!,
          properties: f.properties,
        });
      features += page.length;
    }
    const villages = (
      await listJurisdictions(this.db, run.scope, {
        level: 'village',
        bbox: box,
        withGeometry: true,
      })
    )
      .filter((j) => j.geometry)
      .map((j): Feature => ({
        type: 'Feature',
        id: j.code,
        geometry: j.geometry as Areal,
        properties: { code: j.code, name: j.name },
      }));
    const earlier = (
      await listPolygons(this.db, run.scope, { bbox: box, withGeometry: true, limit: 10000 })
    ).filter((p) => p.period < period);
    await run.progress(0.3, `overlay with ${features} reference features`);
    const figures = await overlay({
      polygons: polygons.map(asFeature),
      layers,
      jurisdictions: villages,
      earlier: earlier.map((p) => ({ ...asFeature(p), id: p.code })),
    });
    await run.progress(0.7, 'storing figures');
    await this.db.transaction(async (tx) => {
      for (let i = 0; i < polygons.length; i++) {
        const extra = {
          ...figureProperties(figures[i]),
          villageCode: figures[i].jurisdiction?.code ?? polygons[i].jurisdictionCode,
        };
        await mergePolygonProperties(tx, run.scope, polygons[i].id, extra);
      }
    });
    let analysed = 0;
    const refused: string[] = [];
    for (let i = 0; i < polygons.length; i++) {
      if (polygons[i].status !== 'found') continue;
      try {
        await this.cases.act(principal, polygons[i].id, 'analyse', {
          version: polygons[i].version,
          ...analyseInputOf(figures[i]),
        });
        analysed++;
      } catch (e) {
        refused.push(`${polygons[i].code}: ${(e as Error).message}`);
      }
      if (i % 50 === 0) await run.progress(0.7 + (0.3 * i) / polygons.length);
    }
    return {
      period,
      polygons: polygons.length,
      referenceFeatures: features,
      analysed,
      refused: refused.slice(0, 20),
      refusedCount: refused.length,
    };
  }
}
