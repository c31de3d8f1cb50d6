import { readFeatures, type ImportReport, type ReadOptions } from '../geo/formats/read.ts';
import type { Feature } from '../geo/types.ts';
import { OverlayAccumulator } from './accumulator.ts';
import { analysisConfig, LAYER_KINDS, type AnalysisConfig, type LayerKind } from './config.ts';
import type { PolygonFigures } from './figures.ts';
import { GengbaoError } from '../errors.ts';

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
  /** Called after every 10,000 reference features with the file and the count so far. */
  onProgress?: (file: string, features: number) => void;
}

export interface AnalyzeFilesResult {
  polygons: Feature[];
  figures: PolygonFigures[];
  /** One import report per file read, polygons first. */
  reports: ImportReport[];
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
  const acc = new OverlayAccumulator(polygons, config);
  const stream = async (path: string, add: (f: Feature, i: number) => void) => {
    const reader = readFeatures(path, opts.read);
    let n = 0;
    let shown = 0;
    for await (const batch of reader.batches()) {
      for (const f of batch) add(f, n++);
      if (n - shown >= 10_000) opts.onProgress?.(path, (shown = n));
    }
    opts.onProgress?.(path, n);
    reports.push(reader.report);
  };
  for (const layer of opts.layers)
    await stream(layer.path, (f) => acc.addLayerFeature(layer.kind, f));
  if (opts.jurisdictions) await stream(opts.jurisdictions, (f) => acc.addJurisdiction(f));
  if (opts.earlier) await stream(opts.earlier, (f, i) => acc.addEarlier(f, i));
  return { polygons, figures: acc.finish(), reports };
}
