import type { Queryable } from './db.ts';
import type { Scope } from './scope.ts';

export interface NewEvent {
  actorId: number | null;
  entityType: string;
  entityId: string;
  jurisdictionCode: string;
  type: string;
  payload: Record<string, unknown>;
  at?: Date;
}

export interface StoredEvent extends Required<Omit<NewEvent, 'at'>> {
  seq: number;
  at: Date;
  prevHash: string | null;
  hash: string | null;
}

/**
 * Appends one event to the record. Call it inside the transaction that makes the state change
 * it describes, so the record and the state can never disagree.
 */
export async function appendEvent(q: Queryable, scope: Scope, e: NewEvent): Promise<number> {
  scope.assertCovers(e.jurisdictionCode, `event on ${e.entityType} ${e.entityId}`);
  const rows = await q.query<{ seq: number }>(
    `INSERT INTO events (at, actor_id, entity_type, entity_id, jurisdiction_code, type, payload)
     VALUES (coalesce($1, now()), $2, $3, $4, $5, $6, $7::jsonb) RETURNING seq`,
    [e.at ?? null, e.actorId, e.entityType, e.entityId, e.jurisdictionCode, e.type, JSON.stringify(e.payload)],
  );
  return rows[0].seq;
}

/** The record of one entity, oldest first, inside the scope. */
export async function eventsOf(q: Queryable, scope: Scope, entityType: string, entityId: string): Promise<StoredEvent[]> {
  const params: unknown[] = [entityType, entityId];
  const rows = await q.query<Record<string, unknown>>(
    `SELECT * FROM events WHERE entity_type = $1 AND entity_id = $2 AND ${scope.where('jurisdiction_code', params)} ORDER BY seq`,
    params,
  );
  return rows.map((r) => ({
    seq: r.seq as number,
    at: r.at as Date,
    actorId: (r.actor_id as number) ?? null,
    entityType: r.entity_type as string,
    entityId: r.entity_id as string,
    jurisdictionCode: r.jurisdiction_code as string,
    type: r.type as string,
    payload: r.payload as Record<string, unknown>,
    prevHash: (r.prev_hash as string) ?? null,
    hash: (r.hash as string) ?? null,
  }));
}
