import { ChainVerifier, type ChainHead, type ChainVerdict } from '../cases/index.ts';
import type { Queryable } from './db.ts';
import { allEvents } from './events.ts';

/**
 * Walks the whole record in stored order, page by page, and verifies the hash chain in
 * bounded memory (ChainVerifier keeps a window around any break to classify it).
 */
export async function verifyRecord(q: Queryable, anchor?: ChainHead): Promise<ChainVerdict> {
  const verifier = new ChainVerifier({ anchor });
  for await (const page of allEvents(q)) {
    const early = verifier.push(page);
    if (early) return early;
  }
  return verifier.finish();
}
