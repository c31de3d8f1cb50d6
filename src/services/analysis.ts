import { setImmediate as turn } from 'node:timers/promises';
import { OverlayAccumulator } from '../analyze/accumulator.ts';
import { analyseInputOf } from '../analyze/case-input.ts';
import { analysisConfig } from '../analyze/config.ts';
import { feedAccumulator, toEarlier } from '../analyze/feed.ts';
import { figureProperties } from '../analyze/properties.ts';
import type { Areal, Feature } from '../geo/types.ts';
import type { Db } from '../store/db.ts';
import { jurisdictionsTouching, type Jurisdiction } from '../store/jurisdictions.ts';
import { mergePolygonProperties } from '../store/polygon-upkeep.ts';
import { earlierPolygonsTouching, listPolygons, type PolygonRecord } from '../store/polygons.ts';
import { referenceFeaturesTouching, type ReferenceFeature } from '../store/reference.ts';
import type { CaseService } from './cases.ts';
import { submitterOf, type JobRun } from './job-run.ts';

/**
 * Reference features per turn of the event loop: a quarter of the 2,000 measured in
 * `analysePeriod`, so a turn holds the thread for about a quarter of those times.
 */
export const OVERLAY_BATCH = 500;

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

  async analysePeriod(run: JobRun, period: string) {
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
    // The store hands over only the features whose box touches a 图斑's, OVERLAY_BATCH at a
    // time, and each batch passes the 图斑 here, in-process, before the next is read: the layers
    // never sit in memory. Between batches the event loop turns, so the server keeps answering.
    // Not on a worker thread, measured (bench:analysis, BENCHMARKS.md): per batch of 2,000 on
    // PGlite, reading it held this thread 371 ms, overlaying it 129 ms, and cloning it to a
    // thread would still cost 58 ms here — a thread would take a seventh off this thread's work
    // and nothing off its longest hold (the read), for a thread kept per job with its state.
    const acc = new OverlayAccumulator(polygons.map(asFeature), analysisConfig({}));
    const boxes = polygons.map((p) => p.bbox);
    const fed = await feedAccumulator(
      acc,
      referenceFeaturesTouching(this.db, run.scope, boxes, OVERLAY_BATCH),
      (acc, f: ReferenceFeature) =>
        acc.addLayerFeature(f.kind, {
          type: 'Feature',
          id: f.id,
          geometry: f.geometry!,
          properties: f.properties,
        }),
      () => turn(),
    );
    await run.progress(0.5, `overlaid ${fed} reference features; villages and earlier 图斑`);
    await feedAccumulator(
      acc,
      jurisdictionsTouching(this.db, run.scope, boxes, 'village'),
      (acc, j: Jurisdiction) =>
        acc.addJurisdiction({
          type: 'Feature',
          id: j.code,
          geometry: j.geometry as Areal,
          properties: { code: j.code, name: j.name },
        }),
      () => turn(),
    );
    await feedAccumulator(
      acc,
      earlierPolygonsTouching(this.db, run.scope, boxes, period),
      (acc, p: PolygonRecord, n) => toEarlier(acc, { ...asFeature(p), id: p.code }, n),
      () => turn(),
    );
    const figures = acc.finish();
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
      referenceFeatures: fed,
      analysed,
      refused: refused.slice(0, 20),
      refusedCount: refused.length,
    };
  }
}
