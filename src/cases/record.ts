/**
 * 执法全过程记录: the tamper-evident, append-only record. Every event carries the SHA-256 of
 * the previous event's hash and its own content, over canonical JSON (RFC 8785 JCS: keys
 * sorted by UTF-16 code units, no whitespace, ECMAScript number form — the `canonicalize`
 * package by an RFC 8785 author), so changing, deleting, inserting or reordering any stored
 * event breaks the chain at a place `verifyChain` names.
 *
 * Measured (bench/cases-chain.ts): canonicalize is most of the cost, ~60 of ~75 µs per event;
 * a 15-line hand-written JCS using String.prototype.isWellFormed was 2.5× faster on the same
 * events with identical output. We keep the maintained package for correctness; if `audit
 * verify` ever needs more speed, verify segments in parallel from notarised heads
 * (`verifyChain(segment, { from })`) before replacing it.
 *
 * The fields match the store's `events` table (seq, at, actor_id, entity_type, entity_id,
 * jurisdiction_code, type, payload jsonb, prev_hash, hash). Two PostgreSQL facts shape them:
 * jsonb reorders object keys (harmless: canonical JSON sorts them anyway) and timestamptz must
 * round-trip exactly, so `at` is hashed as the ISO string with millisecond precision that a JS
 * Date gives back. `seq` must be assigned as head.seq + 1 under a lock, not by a sequence:
 * sequences leave gaps on rollback, and a gap reads as a deleted event.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { GengbaoError } from '../errors.ts';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

/** An event before the store gives it its place in the chain. */
export interface EventDraft {
  /** ISO 8601 UTC with milliseconds, exactly as `Date.prototype.toISOString` writes it. */
  at: string;
  /** users.id as text; null for events of the system itself (imports, scheduled escalation). */
  actorId: string | null;
  entityType: string;
  entityId: string;
  jurisdictionCode: string;
  type: string;
  payload: JsonObject;
}

/** A stored event: one row of the `events` table. */
export interface RecordedEvent extends EventDraft {
  seq: number;
  prevHash: string;
  hash: string;
}

/** Where the chain starts: the "previous hash" of event 1. */
export const GENESIS_HASH = '0'.repeat(64);

/** The head of a chain: its last event's seq and hash ({ seq: 0, hash: GENESIS_HASH } when empty). */
export interface ChainHead {
  seq: number;
  hash: string;
}
export const EMPTY_CHAIN: ChainHead = { seq: 0, hash: GENESIS_HASH };

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * RFC 8785 canonical JSON of a JSON value. Throws bad_input for what JSON or PostgreSQL jsonb
 * cannot hold faithfully: NaN and infinities, lone surrogates, and U+0000 (jsonb rejects it).
 */
export function canonicalJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = canonicalize(value);
  } catch (e) {
    throw new GengbaoError('bad_input', `not canonical JSON: ${(e as Error).message}`, {
      field: 'payload',
      cause: e,
    });
  }
  if (text === undefined)
    throw new GengbaoError('bad_input', 'nothing to canonicalize (undefined)', {
      field: 'payload',
    });
  if (text.includes('\\u0000'))
    throw new GengbaoError('bad_input', 'U+0000 cannot be stored in jsonb', { field: 'payload' });
  return text;
}

/** The hashed content of an event: {seq, at, actor, type, entity, payload, prevHash}. */
function hashedContent(e: Omit<RecordedEvent, 'hash'>): unknown {
  return {
    seq: e.seq,
    at: e.at,
    actor: e.actorId,
    type: e.type,
    entity: { type: e.entityType, id: e.entityId, jurisdiction: e.jurisdictionCode },
    payload: e.payload,
    prevHash: e.prevHash,
  };
}

/** SHA-256 (hex) of an event's canonical content. */
export function hashEvent(e: Omit<RecordedEvent, 'hash'>): string {
  return createHash('sha256')
    .update(canonicalJson(hashedContent(e)), 'utf8')
    .digest('hex');
}

/**
 * Gives a draft its place after `head` and its hash. The payload is normalised through its
 * canonical form, so what the store writes is exactly what was hashed (no undefined, no Dates).
 * @example const e = sealEvent(draft, head); // INSERT … VALUES (e.seq, e.at, …, e.prevHash, e.hash)
 */
export function sealEvent(draft: EventDraft, head: ChainHead = EMPTY_CHAIN): RecordedEvent {
  if (!ISO_MS.test(draft.at)) {
    throw new GengbaoError(
      'bad_input',
      `event time must be an ISO instant with milliseconds in UTC, got ${draft.at}`,
      { field: 'at' },
    );
  }
  const payload = JSON.parse(canonicalJson(draft.payload)) as JsonObject;
  const unsealed = { ...draft, payload, seq: head.seq + 1, prevHash: head.hash };
  return { ...unsealed, hash: hashEvent(unsealed) };
}

/** The head after `events` (the last one), or `EMPTY_CHAIN`. */
export function chainHead(events: readonly RecordedEvent[]): ChainHead {
  const last = events[events.length - 1];
  return last ? { seq: last.seq, hash: last.hash } : EMPTY_CHAIN;
}
