import { verifyChain, type ChainVerdict } from '../cases/chain-verify.ts';
import type { ChainHead, RecordedEvent } from '../cases/record.ts';
import type { Queryable } from './db.ts';
import { allEvents } from './events.ts';

/**
 * Walks the whole record in stored order and verifies the hash chain. The events are held in
 * memory (about 0.5 KB each) because classifying a break — inserted versus reordered — looks
 * both ways along the chain; a segmented walk is the next step past ~10⁶ events.
 */
export async function verifyRecord(q: Queryable, anchor?: ChainHead): Promise<ChainVerdict> {
  const events: RecordedEvent[] = [];
  for await (const page of allEvents(q)) events.push(...page);
  return verifyChain(events, { anchor });
}
