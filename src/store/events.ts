import {
  EMPTY_CHAIN,
  sealEvent,
  type ChainHead,
  type EventDraft,
  type JsonObject,
  type RecordedEvent,
} from '../cases/record.ts';
import type { Queryable } from './db.ts';
import { insertRows } from './bulk.ts';
import { EVENTS } from './rows/events.ts';
import type { Scope } from './scope.ts';
import type { Row } from './table.ts';

export interface NewEvent {
  actorId: number | null;
  entityType: string;
  entityId: string;
  jurisdictionCode: string;
  type: string;
  payload: Record<string, unknown>;
  at?: Date;
}

export type StoredEvent = RecordedEvent;

// One lock for the whole chain: appends from concurrent transactions (server, workers) take
// turns, so each sees the true head. Transaction-scoped: released at commit or rollback.
const CHAIN_LOCK = 7262002;

const toRecorded = (r: Row): RecordedEvent => EVENTS.read(r);

/** The last event's seq and hash (the chain's head), for `gengbao audit anchor`. */
export async function chainHeadOf(q: Queryable): Promise<ChainHead> {
  const rows = await q.query<{ seq: number; hash: string }>(
    'SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1',
  );
  return rows[0] ?? EMPTY_CHAIN;
}

/** Turns a store-level event into the domain's draft (ISO time, actor id as text). */
function draftOf(e: NewEvent, now: Date): EventDraft {
  return {
    at: (e.at ?? now).toISOString(),
    actorId: e.actorId == null ? null : String(e.actorId),
    entityType: e.entityType,
    entityId: e.entityId,
    jurisdictionCode: e.jurisdictionCode,
    type: e.type,
    payload: e.payload as JsonObject,
  };
}

/**
 * Appends events to the record, hash-chained after the current head. Call it inside the
 * transaction that makes the state change they describe, so record and state never disagree.
 */
export async function appendEvents(
  q: Queryable,
  scope: Scope,
  events: NewEvent[],
): Promise<RecordedEvent[]> {
  const now = new Date();
  return appendDrafts(
    q,
    scope,
    events.map((e) => draftOf(e, now)),
  );
}

/** Appends domain event drafts (e.g. from `applyTransition`) in order, sealing each after the head. */
export async function appendDrafts(
  q: Queryable,
  scope: Scope,
  drafts: EventDraft[],
): Promise<RecordedEvent[]> {
  if (!drafts.length) return [];
  for (const d of drafts)
    scope.assertCovers(d.jurisdictionCode, `event on ${d.entityType} ${d.entityId}`);
  await q.query(`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`);
  let head = await chainHeadOf(q);
  const sealed = drafts.map((d) => {
    const s = sealEvent(d, head);
    head = { seq: s.seq, hash: s.hash };
    return s;
  });
  await insertRows(
    q,
    {
      table: 'events',
      record: {
        seq: 'int8',
        at: 'timestamptz',
        actor_id: 'int8',
        entity_type: 'text',
        entity_id: 'text',
        jurisdiction_code: 'text',
        type: 'text',
        payload: 'jsonb',
        prev_hash: 'text',
        hash: 'text',
      },
      values: {
        seq: 'r.seq',
        at: 'r.at',
        actor_id: 'r.actor_id',
        entity_type: 'r.entity_type',
        entity_id: 'r.entity_id',
        jurisdiction_code: 'r.jurisdiction_code',
        type: 'r.type',
        payload: 'r.payload',
        prev_hash: 'r.prev_hash',
        hash: 'r.hash',
      },
    },
    sealed.map((s) => ({
      seq: s.seq,
      at: s.at,
      actor_id: s.actorId == null ? null : Number(s.actorId),
      entity_type: s.entityType,
      entity_id: s.entityId,
      jurisdiction_code: s.jurisdictionCode,
      type: s.type,
      payload: s.payload,
      prev_hash: s.prevHash,
      hash: s.hash,
    })),
  );
  return sealed;
}

export async function appendEvent(q: Queryable, scope: Scope, e: NewEvent): Promise<RecordedEvent> {
  return (await appendEvents(q, scope, [e]))[0];
}

/** The record of one entity, oldest first, inside the scope. */
export async function eventsOf(
  q: Queryable,
  scope: Scope,
  entityType: string,
  entityId: string,
): Promise<RecordedEvent[]> {
  const params: unknown[] = [entityType, entityId];
  const rows = await q.query<Row>(
    `SELECT ${EVENTS.select()} FROM events WHERE entity_type = $1 AND entity_id = $2 AND ${scope.where('jurisdiction_code', params)} ORDER BY seq`,
    params,
  );
  return rows.map(toRecorded);
}

/** The whole chain in stored order, in pages (for `gengbao audit verify`). */
export async function* allEvents(q: Queryable, page = 5000): AsyncGenerator<RecordedEvent[]> {
  let after = -1;
  for (;;) {
    const rows = await q.query<Row>(
      `SELECT ${EVENTS.select()} FROM events WHERE seq > $1 ORDER BY seq LIMIT ${page}`,
      [after],
    );
    if (!rows.length) return;
    const batch = rows.map(toRecorded);
    yield batch;
    after = batch[batch.length - 1].seq;
  }
}

/** The records of many entities of one type, unscoped (operator audit), each oldest first. */
export async function eventsOfEntities(
  q: Queryable,
  entityType: string,
  entityIds: string[],
): Promise<Map<string, RecordedEvent[]>> {
  const rows = await q.query<Record<string, unknown>>(
    `SELECT * FROM events WHERE entity_type = $1 AND entity_id = ANY($2::text[]) ORDER BY entity_id, seq`,
    [entityType, entityIds],
  );
  const out = new Map<string, RecordedEvent[]>();
  for (const r of rows.map(toRecorded)) {
    const list = out.get(r.entityId);
    if (list) list.push(r);
    else out.set(r.entityId, [r]);
  }
  return out;
}
