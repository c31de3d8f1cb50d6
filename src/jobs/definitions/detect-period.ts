import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { Chips } from '../../detect/chips.ts';
import { detectChanges } from '../../detect/detect.ts';
import { SENSOR_IDS } from '../../detect/profiles.ts';
import { classifierFor } from '../../detect/learned/shipped.ts';
import type { ChangeFeature } from '../../detect/polygons.ts';
import { GengbaoError } from '../../errors.ts';
import { openScene } from '../../raster/scene-source.ts';
import { actorOf, CaseService } from '../../server/services/cases.ts';
import { gridOf, locateIn } from '../../server/services/grid.ts';
import { getImagery } from '../../store/imagery.ts';
import { insertPolygons, type NewPolygon } from '../../store/polygons.ts';
import { getUserById, principalOf } from '../../store/users.ts';
import { defineJob } from '../types.ts';

const Payload = z
  .object({
    period: z.string().regex(/^\d{4}-\d{2}$/, 'period must look like 2026-11'),
    /** Stored imagery ids … */
    beforeImagery: z.number().int().positive().optional(),
    afterImagery: z.number().int().positive().optional(),
    /** … or paths / URLs of the scenes (a file, a band folder, a COG URL). */
    before: z.string().min(1).optional(),
    after: z.string().min(1).optional(),
    sensor: z.enum(SENSOR_IDS).default('s2'),
    bands: z.array(z.string()).optional(),
    minAreaM2: z.number().min(0).optional(),
    chips: z.boolean().default(true),
    /**
     * 'learned': the trained classifier shipped for the sensor (s2 and rgb; src/detect/README.md);
     * absent: the sensor's default (learned for rgb, rules for the others).
     */
    classifier: z.enum(['rules', 'learned']).optional(),
    /** Ground resolution (m) to classify at, finer imagery averaged onto it; 0: the imagery's own; absent: the sensor's (rgb 0.5 m). */
    workingResolutionM: z.number().min(0).optional(),
    /** Each date's radiometric offset in stored units (ESA's BOA_ADD_OFFSET: −1000 for Sentinel-2 from processing baseline 04.00); absent: what the files declare or their product names imply, else 0. */
    addOffset: z.object({ before: z.number().finite().optional(), after: z.number().finite().optional() }).optional(),
  })
  .refine((p) => (p.before && p.after) || (p.beforeImagery && p.afterImagery), { message: 'give before and after (paths) or beforeImagery and afterImagery (ids)', path: ['before'] });

/** Writes a polygon's evidence chips atomically: data/chips/<code>-before.png and -after.png. */
async function saveChips(dir: string, code: string, chips: Chips): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [which, png] of [['before', chips.before], ['after', chips.after]] as const) {
    const path = join(dir, `${code}-${which}.png`);
    await writeFile(`${path}.tmp`, png);
    await rename(`${path}.tmp`, path);
  }
}

/**
 * `detection.run`: change detection on a before/after pair (stored imagery or paths), storing
 * the change polygons as 图斑 of source `detection` for the period — only those inside the
 * submitter's jurisdiction, each assigned to its village, with class, score and evidence chips,
 * and each with its case opened in the submitter's name (monitoring analysts).
 */
export const detectPeriodJob = defineJob({
  type: 'detection.run',
  description: 'Detect farmland turned into buildings, roads or bare soil on a before/after pair; store the 图斑',
  payload: Payload,
  async run(ctx, p) {
    const user = ctx.actorId ? await getUserById(ctx.db, ctx.actorId) : null;
    if (!user) throw new GengbaoError('forbidden', 'detection needs a submitting user');
    const principal = principalOf(user);
    // A path as given, or a stored scene with the radiometric offset it was registered with.
    const sceneOf = async (id: number | undefined, path: string | undefined, which: string): Promise<{ uri: string; addOffset?: number }> => {
      if (path) return { uri: path };
      const img = await getImagery(ctx.db, ctx.scope, id!);
      if (!img) throw new GengbaoError('not_found', `no ${which} imagery ${id} in your jurisdiction`, { field: `${which}Imagery` });
      return { uri: img.uri, addOffset: typeof img.meta.addOffset === 'number' ? img.meta.addOffset : undefined };
    };
    const learned = classifierFor(p.sensor, p.classifier);
    const [b, a] = await Promise.all([sceneOf(p.beforeImagery, p.before, 'before'), sceneOf(p.afterImagery, p.after, 'after')]);
    const addOffset = { before: p.addOffset?.before ?? b.addOffset, after: p.addOffset?.after ?? a.addOffset };
    const [before, after] = await Promise.all([openScene(b.uri), openScene(a.uri)]);
    const chipsDir = resolve(ctx.dataDir, 'chips');
    const chips = new Map<number, Chips>();
    let result;
    try {
      result = await detectChanges(before, after, {
        sensor: p.sensor,
        config: {
          learned,
          ...(p.workingResolutionM === undefined ? {} : { workingResolutionM: p.workingResolutionM || null }),
        },
        bands: p.bands,
        addOffset,
        minAreaM2: p.minAreaM2,
        workers: ctx.threads.size,
        chips: p.chips,
        onPolygon: (f: ChangeFeature, c?: Chips) => {
          if (c) chips.set(f.properties.id, c);
        },
        onProgress: (pr) => void ctx.progress((pr.phase === 'sample' ? 0 : pr.phase === 'classify' ? 0.1 : 0.7) + (pr.total ? (pr.done / pr.total) * (pr.phase === 'classify' ? 0.6 : 0.1) : 0), `${pr.phase} ${pr.done}/${pr.total}`),
      });
    } finally {
      // The job runs in a long-lived process: the files' handles go back whatever happened.
      await Promise.all([before.close(), after.close()]);
    }
    await ctx.progress(0.85, `${result.features.length} change polygons; assigning to the grid`);
    const grid = await gridOf(ctx.db, ctx.scope, ['village']);
    const placed = result.features.map((f) => ({ f, village: locateIn(grid, f.geometry) })).filter((x) => x.village);
    const stored = await ctx.db.transaction(async (tx) => {
      const yyyymm = p.period.replace('-', '');
      const seq = new Map<string, number>();
      const items: (NewPolygon & { properties: { detectionId: number } & Record<string, unknown> })[] = [];
      for (const { f, village } of placed) {
        const county = village!.slice(0, 6);
        if (!seq.has(county)) {
          const [{ n }] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM polygons WHERE code LIKE $1`, [`${county}${yyyymm}D%`]);
          seq.set(county, n);
        }
        seq.set(county, seq.get(county)! + 1);
        items.push({
          code: `${county}${yyyymm}D${String(seq.get(county)).padStart(4, '0')}`,
          source: 'detection' as const,
          period: p.period,
          jurisdictionCode: village!,
          geometry: f.geometry,
          properties: { changeClass: f.properties.class, score: f.properties.score, pixels: f.properties.pixels, sensor: p.sensor, job: ctx.jobId, detectionId: f.properties.id },
        });
      }
      const ids = await insertPolygons(tx, ctx.scope, items);
      await new CaseService(ctx.db).openCases(
        tx,
        ctx.scope,
        actorOf(principal),
        ids.map((id, i) => ({ id, jurisdictionCode: items[i].jurisdictionCode, source: 'detection', period: p.period })),
      );
      return items.map((it, i) => ({ id: ids[i], code: it.code, detectionId: it.properties.detectionId }));
    });
    for (const s of stored) {
      const c = chips.get(s.detectionId);
      if (c) await saveChips(chipsDir, s.code, c);
    }
    return {
      period: p.period,
      detected: result.features.length,
      stored: stored.length,
      outsideJurisdiction: result.features.length - placed.length,
      alignment: result.alignmentNote ?? null,
      resolution: result.resolutionNote ?? null,
      radiometry: result.radiometryNote ?? null,
      stats: result.stats,
    };
  },
});
