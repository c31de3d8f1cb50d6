import type { Feature } from '../geo/types.ts';
import type { OverlayAccumulator } from './accumulator.ts';
import type { LayerKind } from './kinds.ts';

/** How one item of a source enters the accumulator; `n` is its position in the source. */
export type Feed<T> = (acc: OverlayAccumulator, item: T, n: number) => void;

/** The features of one reference layer. */
export const toLayer =
  (kind: LayerKind): Feed<Feature> =>
  (acc, f) =>
    acc.addLayerFeature(kind, f);

/** Jurisdictions (villages): each 图斑 takes the one it overlaps most. */
export const toJurisdictions: Feed<Feature> = (acc, f) => acc.addJurisdiction(f);

/** Earlier 图斑: repeats by IoU; one without an id is named by its position in the source. */
export const toEarlier: Feed<Feature> = (acc, f, n) => acc.addEarlier(f, n);

/**
 * Streams a source past the 图斑 of an accumulator, batch after batch, so the source never sits
 * in memory whole — a layer file (`gengbao analyze`, its worker threads) or the store
 * (`analysis.period`) alike. `afterBatch` runs after each batch with the count so far: progress,
 * and for the job a turn of the event loop. Returns the number of items fed.
 */
export async function feedAccumulator<T>(
  acc: OverlayAccumulator,
  batches: AsyncIterable<T[]>,
  feed: Feed<T>,
  afterBatch?: (fed: number) => unknown,
): Promise<number> {
  let n = 0;
  for await (const batch of batches) {
    for (const item of batch) feed(acc, item, n++);
    await afterBatch?.(n);
  }
  return n;
}
