/**
 * Walks a hash chain and names the first tampered event and how it was tampered with.
 *
 * Each kind leaves a different mark because three things are recorded per event — its `seq`,
 * the `prevHash` it names, and its own `hash` over {seq, at, actor, type, entity, payload,
 * prevHash}:
 * - modified: the content no longer hashes to `hash` (or, if the forger re-hashed it, the next
 *   event still names the old hash, which exists nowhere);
 * - deleted: a gap in `seq`, or (if later events were renumbered) an event that hashes correctly
 *   only under a higher seq and names a predecessor that exists nowhere;
 * - inserted: an event that takes the place of another — the true successor of its predecessor
 *   is still further on, or the next event names an earlier one as its predecessor;
 * - reordered: an event that names as its predecessor an event stored after it.
 * Appending forged events at the head cannot be told from real ones by the chain alone; the
 * head hash notarised outside (`gengbao audit anchor`) catches truncation, passed as `anchor`.
 */
import { EMPTY_CHAIN, hashEvent, type ChainHead, type RecordedEvent } from './record.ts';

export type TamperKind = 'modified' | 'deleted' | 'inserted' | 'reordered';

export type ChainVerdict =
  | { ok: true; count: number; head: ChainHead }
  | {
      ok: false;
      kind: TamperKind;
      /** The seq of the first bad event as stored (for a deletion: the first missing seq). */
      seq: number;
      /** Its position in the list walked (-1 when the bad event is missing). */
      index: number;
      message: string;
      /** Events verified before the break. */
      verified: number;
    };

export interface VerifyOptions {
  /** The head just before the first event given (to verify a segment); default the empty chain. */
  from?: ChainHead;
  /** A head notarised earlier: the chain must still contain it. */
  anchor?: ChainHead;
}

/** How far from its stored seq we look for the seq an event was really hashed under. */
const RENUMBER_SEARCH = 64;

/**
 * Verifies events in stored order (ORDER BY seq). Returns ok with the head, or the first bad
 * event with the kind of tampering.
 * @example const v = verifyChain(rows); if (!v.ok) console.error(`event ${v.seq}: ${v.kind}`);
 */
export function verifyChain(
  events: readonly RecordedEvent[],
  opts: VerifyOptions = {},
): ChainVerdict {
  const from = opts.from ?? EMPTY_CHAIN;
  const indexOfHash = new Map<string, number>();
  events.forEach((e, i) => indexOfHash.set(e.hash, i));
  let prev: ChainHead = from;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    const selfOk = hashEvent(e) === e.hash;
    if (selfOk && e.seq === prev.seq + 1 && e.prevHash === prev.hash) {
      prev = e;
      continue;
    }
    return classify(events, i, prev, selfOk, indexOfHash);
  }
  if (opts.anchor) {
    const a = opts.anchor;
    if (a.seq > prev.seq) {
      return bad(
        'deleted',
        prev.seq + 1,
        -1,
        `events ${prev.seq + 1}..${a.seq} are missing: the notarised head is seq ${a.seq}`,
        events.length,
      );
    }
    const at = events.findIndex((e) => e.seq === a.seq);
    if (at >= 0 && events[at].hash !== a.hash) {
      return bad(
        'modified',
        a.seq,
        at,
        `event ${a.seq} differs from the notarised head hash`,
        events.length,
      );
    }
  }
  return { ok: true, count: events.length, head: { seq: prev.seq, hash: prev.hash } };
}

function classify(
  events: readonly RecordedEvent[],
  i: number,
  prev: ChainHead,
  selfOk: boolean,
  indexOfHash: Map<string, number>,
): ChainVerdict {
  const e = events[i];
  const gap = e.seq > prev.seq + 1;
  // The true successor of `prev`, if it is stored somewhere after e.
  const successor = events.findIndex((x, j) => j > i && x.prevHash === prev.hash);
  const linked = indexOfHash.get(e.prevHash);
  if (e.seq <= prev.seq) return bad('inserted', e.seq, i, `a second event claims seq ${e.seq}`, i);
  if (e.prevHash === prev.hash) {
    if (successor >= 0)
      return bad(
        'inserted',
        e.seq,
        i,
        `event ${e.seq} forks the chain: event ${events[successor].seq} also follows ${prev.seq}`,
        i,
      );
    return bad(
      'modified',
      e.seq,
      i,
      `event ${e.seq} does not match its hash: its content was changed`,
      i,
    );
  }
  if (linked !== undefined && linked > i) {
    return bad(
      'reordered',
      e.seq,
      i,
      `event ${e.seq} comes before its predecessor (stored as seq ${events[linked].seq})`,
      i,
    );
  }
  if (linked !== undefined && linked < i) {
    const first = linked + 1;
    return bad(
      'inserted',
      events[first].seq,
      first,
      `event ${events[first].seq} was inserted: event ${e.seq} follows ${events[linked].seq} directly`,
      first,
    );
  }
  // e names a predecessor that exists nowhere.
  if (successor >= 0)
    return bad(
      'inserted',
      e.seq,
      i,
      `event ${e.seq} was inserted: event ${events[successor].seq} follows ${prev.seq} directly`,
      i,
    );
  if (!selfOk) {
    const original = originalSeq(e, events);
    if (original !== undefined && original > e.seq) {
      return bad(
        'deleted',
        prev.seq + 1,
        -1,
        `${original - e.seq} event(s) before ${e.seq} were deleted and the rest renumbered (it was seq ${original})`,
        i,
      );
    }
    return bad(
      'modified',
      e.seq,
      i,
      `event ${e.seq} does not match its hash: its content was changed`,
      i,
    );
  }
  if (gap)
    return bad('deleted', prev.seq + 1, -1, `events ${prev.seq + 1}..${e.seq - 1} are missing`, i);
  // e is intact and in place but names a hash nobody has: its predecessor was changed and re-hashed.
  if (i === 0)
    return bad(
      'modified',
      e.seq,
      i,
      `event ${e.seq} does not continue from the given head ${prev.seq}`,
      0,
    );
  return bad(
    'modified',
    prev.seq,
    i - 1,
    `event ${prev.seq} was changed and re-hashed: event ${e.seq} names its original hash`,
    i - 1,
  );
}

/** The seq under which `e`'s content hashes to its stored hash, if another than its own. */
function originalSeq(e: RecordedEvent, events: readonly RecordedEvent[]): number | undefined {
  const candidates = new Set<number>();
  for (let d = 1; d <= RENUMBER_SEARCH; d++) candidates.add(e.seq + d).add(e.seq - d);
  for (const x of events) candidates.add(x.seq);
  candidates.delete(e.seq);
  for (const seq of candidates) if (seq > 0 && hashEvent({ ...e, seq }) === e.hash) return seq;
  return undefined;
}

function bad(
  kind: TamperKind,
  seq: number,
  index: number,
  message: string,
  verified: number,
): ChainVerdict {
  return { ok: false, kind, seq, index, message, verified };
}
