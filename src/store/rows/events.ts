import type { JsonObject } from '../../cases/record.ts';
import { z } from 'zod';
import { col, defineTable } from '../table.ts';

/**
 * An event of the record in the domain's form (cases/record.ts RecordedEvent): the time as the
 * ISO text that was hashed (timestamptz keeps milliseconds, so it round-trips exactly) and the
 * actor's users.id as text.
 */
export const EVENTS = defineTable('events', {
  seq: col.int('seq'),
  at: col.time('at').map((d) => d.toISOString(), z.string()),
  actorId: col.int('actor_id').map(String, z.string()).orNull(),
  entityType: col.text('entity_type'),
  entityId: col.text('entity_id'),
  jurisdictionCode: col.text('jurisdiction_code'),
  type: col.text('type'),
  payload: col.json<JsonObject>('payload'),
  prevHash: col.text('prev_hash'),
  hash: col.text('hash'),
});
