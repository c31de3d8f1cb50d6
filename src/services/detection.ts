import type { Chips } from '../detect/chips.ts';
import { detectChanges } from '../detect/detect.ts';
import { classifierFor, gatedByDomain } from '../detect/learned/shipped.ts';
import type { ChangeFeature } from '../detect/polygons.ts';
import type { ClassifierChoice, SensorId } from '../detect/profiles.ts';
import { GengbaoError } from '../errors.ts';
import { openScene } from '../raster/scene-source.ts';
import type { Db } from '../store/db.ts';
import { getImagery } from '../store/imagery.ts';
import { countCodesWithPrefix } from '../store/polygon-upkeep.ts';
import { getPolygon, insertPolygons, type NewPolygon } from '../store/polygons.ts';
import type { Principal } from '../store/users.ts';
import { locateIn } from '../grid/index.ts';
import { gridOf } from './grid.ts';
import { actorOf, openCases } from './cases.ts';
import type { ChipFiles, ChipSide } from './chips.ts';
import type { DetectionLearningService } from './detection-learning.ts';
import { assertImageryReal, NO_IMAGERY_ALLOWED, type ImageryAllowList } from './imagery-allow.ts';
import { submitterOf, type JobRun } from './job-run.ts';

/** A detection run as the `detection.run` job's payload asks for it. */
export interface DetectionRequest {
  period: string;
  /** Stored imagery ids … */
  beforeImagery?: number;
  afterImagery?: number;
  /** … or paths / URLs of the scenes. */
  before?: string;
  after?: string;
  sensor: SensorId;
  bands?: string[];
  minAreaM2?: number;
  chips: boolean;
  classifier?: ClassifierChoice;
  workingResolutionM?: number;
  addOffset?: { before?: number; after?: number };
}

/**
 * Change detection on the store: a before/after pair (stored imagery or paths) in, the change
 * polygons stored as 图斑 of source `detection` for the period — only those inside the
 * submitter's jurisdiction, each assigned to its village, with class, score and evidence chips,
 * and each with its case opened in the submitter's name.
 */
export class DetectionService {
  constructor(
    private readonly db: Db,
    private readonly chips: ChipFiles,
    private readonly now: () => Date = () => new Date(),
    private readonly imageryAllow: ImageryAllowList = NO_IMAGERY_ALLOWED,
    /** The installation's adapted models (learning from verdicts), when it has any switched on. */
    private readonly learning?: Pick<DetectionLearningService, 'classifierFor'>,
  ) {}

  /** `workers`: threads the detection may use (the runner's pool size). */
  async detect(run: JobRun, p: DetectionRequest, opts: { workers: number }) {
    const principal = await submitterOf(this.db, run, 'detection');
    // A path as given, or a stored scene with the radiometric offset it was registered with.
    const sceneOf = async (
      id: number | undefined,
      path: string | undefined,
      which: string,
    ): Promise<{ uri: string; addOffset?: number }> => {
      // Checked again where it runs (a worker has its own allow-list), links followed this time.
      if (path) {
        await assertImageryReal(path, this.imageryAllow, `payload.${which}`);
        return { uri: path };
      }
      const img = await getImagery(this.db, run.scope, id!);
      if (!img)
        throw new GengbaoError('not_found', `no ${which} imagery ${id} in your jurisdiction`, {
          field: `${which}Imagery`,
        });
      return {
        uri: img.uri,
        addOffset: typeof img.meta.addOffset === 'number' ? img.meta.addOffset : undefined,
      };
    };
    // The shipped model, or the version adapted to this installation's verdicts in force.
    const { learned, version: modelVersion } = this.learning
      ? await this.learning.classifierFor(p.sensor, p.classifier)
      : { learned: classifierFor(p.sensor, p.classifier), version: null };
    const [b, a] = await Promise.all([
      sceneOf(p.beforeImagery, p.before, 'before'),
      sceneOf(p.afterImagery, p.after, 'after'),
    ]);
    const addOffset = {
      before: p.addOffset?.before ?? b.addOffset,
      after: p.addOffset?.after ?? a.addOffset,
    };
    const [before, after] = await Promise.all([openScene(b.uri), openScene(a.uri)]);
    const chips = new Map<number, Chips>();
    let result;
    try {
      result = await detectChanges(before, after, {
        sensor: p.sensor,
        config: {
          learned,
          domainGate: gatedByDomain(p.sensor, p.classifier),
          ...(p.workingResolutionM === undefined
            ? {}
            : { workingResolutionM: p.workingResolutionM || null }),
        },
        bands: p.bands,
        addOffset,
        minAreaM2: p.minAreaM2,
        workers: opts.workers,
        chips: p.chips,
        onPolygon: (f: ChangeFeature, c?: Chips) => {
          if (c) chips.set(f.properties.id, c);
        },
        onProgress: (pr) =>
          void run.progress(
            (pr.phase === 'sample' ? 0 : pr.phase === 'classify' ? 0.1 : 0.7) +
              (pr.total ? (pr.done / pr.total) * (pr.phase === 'classify' ? 0.6 : 0.1) : 0),
            `${pr.phase} ${pr.done}/${pr.total}`,
          ),
      });
    } finally {
      // Runs in a long-lived process: the files' handles go back whatever happened.
      await Promise.all([before.close(), after.close()]);
    }
    await run.progress(0.85, `${result.features.length} change polygons; assigning to the grid`);
    const grid = await gridOf(this.db, run.scope, ['village']);
    const placed = result.features
      .map((f) => ({ f, village: locateIn(grid, f.geometry) }))
      .filter((x) => x.village);
    const stored = await this.db.transaction(async (tx) => {
      const yyyymm = p.period.replace('-', '');
      const seq = new Map<string, number>();
      const items: (NewPolygon & {
        properties: { detectionId: number } & Record<string, unknown>;
      })[] = [];
      for (const { f, village } of placed) {
        const county = village!.slice(0, 6);
        // 图斑 codes: county, period, D (detection) and a sequence number within the county.
        if (!seq.has(county))
          seq.set(county, await countCodesWithPrefix(tx, `${county}${yyyymm}D`));
        seq.set(county, seq.get(county)! + 1);
        items.push({
          code: `${county}${yyyymm}D${String(seq.get(county)).padStart(4, '0')}`,
          source: 'detection' as const,
          period: p.period,
          jurisdictionCode: village!,
          geometry: f.geometry,
          properties: {
            changeClass: f.properties.class,
            score: f.properties.score,
            pixels: f.properties.pixels,
            sensor: p.sensor,
            job: run.jobId,
            detectionId: f.properties.id,
            // The registered pair it was found on, so that its verdict can teach the model
            // (services/detection-learning.ts), and the adapted model version that found it.
            ...(p.beforeImagery && p.afterImagery
              ? { imagery: { before: p.beforeImagery, after: p.afterImagery } }
              : {}),
            ...(modelVersion === null ? {} : { modelVersion }),
          },
        });
      }
      const ids = await insertPolygons(tx, run.scope, items);
      await openCases(
        tx,
        run.scope,
        actorOf(principal),
        ids.map((id, i) => ({
          id,
          jurisdictionCode: items[i].jurisdictionCode,
          source: 'detection',
          period: p.period,
        })),
        this.now(),
      );
      return items.map((it, i) => ({
        id: ids[i],
        code: it.code,
        detectionId: it.properties.detectionId,
      }));
    });
    for (const s of stored) {
      const c = chips.get(s.detectionId);
      if (c) await this.chips.save(s.code, c);
    }
    return {
      period: p.period,
      detected: result.features.length,
      stored: stored.length,
      outsideJurisdiction: result.features.length - placed.length,
      modelVersion,
      alignment: result.alignmentNote ?? null,
      bandGrids: result.bandGridNote ?? null,
      resolution: result.resolutionNote ?? null,
      radiometry: result.radiometryNote ?? null,
      domain: {
        verdict: result.domain.verdict,
        distance: result.domain.distance ?? null,
        note: result.domain.note,
      },
      classifier: result.classifier,
      classifierNote: result.classifierNote ?? null,
      stats: result.stats,
    };
  }

  /** The before or after evidence chip (PNG) of a 图斑 in my scope. */
  async chipOf(p: Principal, id: number, which: ChipSide): Promise<Buffer> {
    const polygon = await getPolygon(this.db, p.scope, id);
    if (!polygon)
      throw new GengbaoError('not_found', `no polygon ${id} in your scope`, { field: 'id' });
    const png = await this.chips.read(polygon.code, which);
    if (!png)
      throw new GengbaoError('not_found', `polygon ${polygon.code} has no ${which}.png chip`, {
        field: 'which',
      });
    return png;
  }
}
