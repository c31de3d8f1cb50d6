import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { readFeatures, type ImportReport, type ReadOptions } from '../geo/formats/read.ts';
import type { Feature } from '../geo/types.ts';
import { OverlayAccumulator } from './accumulator.ts';
import { feedAccumulator, toEarlier, toJurisdictions, toLayer, type Feed } from './feed.ts';
import { analysisConfig, LAYER_KINDS, type AnalysisConfig, type LayerKind } from './config.ts';
import type { PolygonFigures } from './figures.ts';
import { GengbaoError } from '../errors.ts';
import { ThreadPool } from '../threads/pool.ts';

/** A reference layer file and its kind. */
export interface LayerFile {
  kind: LayerKind;
  path: string;
}

export interface AnalyzeFilesOptions {
  polygons: string;
  layers: LayerFile[];
  jurisdictions?: string;
  earlier?: string;
  /** Reading options (CRS for files without one, encoding) for every file. */
  read?: ReadOptions;
  config?: Partial<AnalysisConfig>;
  /**
   * Worker threads for large GeoJSON-lines layers (default: one per core, at most 4, none
   * below 3 cores). Each
   * reads its own byte range of the file; the pieces merge before the figures are computed.
   */
  workers?: number;
  /** Layers from this size (bytes) go to worker threads; default 32 MiB. */
  parallelFromBytes?: number;
  /** Called after every 10,000 reference features with the file and the count so far. */
  onProgress?: (file: string, features: number) => void;
}

export interface AnalyzeFilesResult {
  polygons: Feature[];
  figures: PolygonFigures[];
  /** One import report per file read, polygons first. */
  reports: ImportReport[];
  /** Worker threads used for large layers (1: in-process). */
  workers: number;
  /**
   * What looks wrong although nothing failed: a reference layer none of whose features comes
   * near any 图斑 — almost always a wrong coordinate system, and every figure would read 0.
   */
  warnings: string[];
}

/** Parse `kind=FILE` as given on the command line. */
export function parseLayerArg(arg: string): LayerFile {
  const m = /^([a-z]+)=(.+)$/.exec(arg);
  if (!m || !(LAYER_KINDS as readonly string[]).includes(m[1])) {
    throw new GengbaoError(
      'bad_input',
      `--layer "${arg}" must be KIND=FILE with KIND one of ${LAYER_KINDS.join(', ')}`,
      { field: 'layer' },
    );
  }
  return { kind: m[1] as LayerKind, path: m[2] };
}

/**
 * The file side of `analyzePolygons`: reads the polygons into memory, then streams every
 * reference layer, the jurisdictions and the earlier polygons past them, so a million-parcel
 * layer never sits in memory. I/O only; the overlay is OverlayAccumulator's.
 */
export async function analyzeFiles(opts: AnalyzeFilesOptions): Promise<AnalyzeFilesResult> {
  const config = analysisConfig(opts.config ?? {});
  const reports: ImportReport[] = [];
  const polygons: Feature[] = [];
  const polygonReader = readFeatures(opts.polygons, opts.read);
  for await (const f of polygonReader) polygons.push(f);
  reports.push(polygonReader.report);
  const warnings: string[] = [];
  const noOverlap = (path: string, r: ImportReport) => {
    if (polygons.length && r.read > 0 && r.accepted === 0)
      warnings.push(
        `${path}: 其 ${r.read} 个要素与所有图斑均不重叠，坐标系可能有误（--crs 只用于未声明坐标系的文件）/ none of its ${r.read} features overlaps any 图斑: its coordinate system (${r.crs ?? 'unknown'}) is probably wrong (--crs applies only to files that declare none)`,
      );
  };
  const acc = new OverlayAccumulator(polygons, config);
  const stream = async (path: string, feed: Feed<Feature>) => {
    const reader = readFeatures(path, { ...opts.read, where: (b) => acc.touches(b) });
    let shown = 0;
    const n = await feedAccumulator(acc, reader.batches(), feed, (fed) => {
      if (fed - shown >= 10_000) opts.onProgress?.(path, (shown = fed));
    });
    opts.onProgress?.(path, n);
    reports.push(reader.report);
  };
  // Measured on the 2-core machines (bench:overlay): two workers cost ~1.8× the CPU of one
  // thread (a tsx start-up and a cold JIT per isolate, pieces cloned back), so below 3 cores
  // the layer is read in-process.
  const cores = availableParallelism();
  const workers = opts.workers ?? (cores > 2 ? Math.min(4, cores) : 1);
  // Started on the first large layer; its threads serve every later one.
  let pool: ThreadPool | undefined;
  try {
    for (const layer of opts.layers) {
      const lines = /\.(geojsonl|geojsons|ndjson|jsonl)$/i.test(layer.path);
      const size = lines ? (await stat(layer.path)).size : 0;
      if (workers > 1 && size > 0 && size >= (opts.parallelFromBytes ?? PARALLEL_FROM_BYTES)) {
        pool ??= new ThreadPool(workers);
        const overlay = pool.module<typeof import('./overlay-worker.ts')>(OVERLAY);
        const parts = await Promise.all(
          Array.from({ length: workers }, (_, w) =>
            overlay.run('overlayPart', {
              polygons,
              config,
              kind: layer.kind,
              path: layer.path,
              read: {
                ...opts.read,
                byteRange: [
                  Math.floor((size * w) / workers),
                  Math.floor((size * (w + 1)) / workers),
                ],
              },
            }),
          ),
        );
        for (const part of parts) acc.merge(part.state);
        reports.push(mergeReports(parts.map((p) => p.report)));
        opts.onProgress?.(layer.path, reports[reports.length - 1].read);
      } else await stream(layer.path, toLayer(layer.kind));
      noOverlap(layer.path, reports[reports.length - 1]);
    }
  } finally {
    await pool?.close();
  }
  if (opts.jurisdictions) await stream(opts.jurisdictions, toJurisdictions);
  if (opts.earlier) await stream(opts.earlier, toEarlier);
  return { polygons, figures: acc.finish(), reports, workers, warnings };
}

/** Below this size a layer is read in-process: starting workers costs more than it saves. */
const PARALLEL_FROM_BYTES = 32 << 20;

/** The thread module that overlays one byte range of a layer. */
const OVERLAY = new URL('./overlay-worker.ts', import.meta.url);

/** One report for a file read in parts. Rejection indexes count from the start of their part. */
export function mergeReports(parts: ImportReport[]): ImportReport {
  const out: ImportReport = {
    ...parts[0],
    read: 0,
    skipped: 0,
    accepted: 0,
    repaired: 0,
    rejected: 0,
    problems: {},
    rejections: [],
    complete: parts.every((p) => p.complete),
  };
  for (const p of parts) {
    out.read += p.read;
    out.skipped += p.skipped;
    out.accepted += p.accepted;
    out.repaired += p.repaired;
    out.rejected += p.rejected;
    out.rejections.push(...p.rejections);
    for (const [k, v] of Object.entries(p.problems))
      out.problems[k as keyof ImportReport['problems']] =
        (out.problems[k as keyof ImportReport['problems']] ?? 0) + (v ?? 0);
  }
  return out;
}
