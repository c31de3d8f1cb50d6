import { readFeatures, type ImportReport, type ReadOptions } from '../geo/formats/read.ts';
import type { Feature } from '../geo/types.ts';
import { OverlayAccumulator, type OverlayState } from './accumulator.ts';
import { feedAccumulator, toLayer } from './feed.ts';
import type { AnalysisConfig, LayerKind } from './config.ts';

/** What `analyzeFiles` sends each worker thread: the polygons and one byte range of one layer. */
export interface OverlayJob {
  polygons: Feature[];
  config: AnalysisConfig;
  kind: LayerKind;
  path: string;
  read: ReadOptions;
}

/** Thread function (src/threads): overlay one part of a reference layer, return the pieces found. */
export async function overlayPart(
  job: OverlayJob,
): Promise<{ state: OverlayState; report: ImportReport }> {
  const acc = new OverlayAccumulator(job.polygons, job.config);
  const reader = readFeatures(job.path, { ...job.read, where: (b) => acc.touches(b) });
  await feedAccumulator(acc, reader.batches(), toLayer(job.kind));
  return { state: acc.state, report: reader.report };
}
