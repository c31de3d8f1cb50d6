import { parentPort, workerData } from 'node:worker_threads';
import { readFeatures, type ReadOptions } from '../geo/formats/read.ts';
import type { Feature } from '../geo/types.ts';
import { OverlayAccumulator } from './accumulator.ts';
import type { AnalysisConfig, LayerKind } from './config.ts';

/** What `analyzeFiles` sends each worker thread: the polygons and one byte range of one layer. */
export interface OverlayJob {
  polygons: Feature[];
  config: AnalysisConfig;
  kind: LayerKind;
  path: string;
  read: ReadOptions;
}

// Worker thread entry: overlay one part of a reference layer and send back the pieces found.
const job = workerData as OverlayJob;
const acc = new OverlayAccumulator(job.polygons, job.config);
const reader = readFeatures(job.path, { ...job.read, where: (b) => acc.touches(b) });
for await (const batch of reader.batches()) for (const f of batch) acc.addLayerFeature(job.kind, f);
parentPort!.postMessage({ state: acc.state, report: reader.report });
