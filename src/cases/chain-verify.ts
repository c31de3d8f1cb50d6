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

export interface StreamOptions extends VerifyOptions {
  /**
   * Events kept before a break and read after it to tell what happened (default 10 000): memory
   * stays bounded however long the chain; tampering that spans more events than this is still
   * caught, but may be named less precisely (e.g. an event moved further away than the window).
   */
  window?: number;
}

/**
 * Verifies a chain page by page in bounded memory (`gengbao audit verify` over millions of
 * events): `push` each page in stored order until it returns a verdict, then `finish`.
 * @example const v = new ChainVerifier({ anchor }); for await (const page of pages) if (v.push(page)) break; return v.finish();
 */
export class ChainVerifier {
  private readonly window: number;
  private prev: ChainHead;
  private count = 0;
  private recent: RecordedEvent[] = [];
  private pending: RecordedEvent[] | null = null;
  private breakSelfOk = false;
  private anchorSeen: { hash: string; index: number } | null = null;
  private verdict: ChainVerdict | null = null;

  constructor(private readonly opts: StreamOptions = {}) {
    this.window = opts.window ?? 10_000;
    this.prev = opts.from ?? EMPTY_CHAIN;
  }

  /** Feeds the next events; returns the verdict as soon as a break is found and named. */
  push(page: readonly RecordedEvent[]): ChainVerdict | undefined {
    if (this.verdict) return this.verdict;
    for (const e of page) {
      if (this.pending) {
        this.pending.push(e);
        if (this.pending.length > this.window) return this.conclude();
        continue;
      }
      const selfOk = hashEvent(e) === e.hash;
      if (selfOk && e.seq === this.prev.seq + 1 && e.prevHash === this.prev.hash) {
        if (e.seq === this.opts.anchor?.seq) this.anchorSeen = { hash: e.hash, index: this.count };
        this.prev = { seq: e.seq, hash: e.hash };
        this.count += 1;
        this.recent.push(e);
        if (this.recent.length >= 2 * this.window)
          this.recent.splice(0, this.recent.length - this.window);
        continue;
      }
      this.pending = [e];
      this.breakSelfOk = selfOk;
    }
    return undefined;
  }

  /** The verdict once every event was pushed. */
  finish(): ChainVerdict {
    if (this.verdict) return this.verdict;
    if (this.pending) return this.conclude();
    const a = this.opts.anchor;
    if (a && a.seq > this.prev.seq) {
      return bad(
        'deleted',
        this.prev.seq + 1,
        -1,
        `events ${this.prev.seq + 1}..${a.seq} are missing: the notarised head is seq ${a.seq}`,
        this.count,
      );
    }
    if (a && this.anchorSeen && this.anchorSeen.hash !== a.hash) {
      return bad(
        'modified',
        a.seq,
        this.anchorSeen.index,
        `event ${a.seq} differs from the notarised head hash`,
        this.count,
      );
    }
    return { ok: true, count: this.count, head: this.prev };
  }

  private conclude(): ChainVerdict {
    const list = [...this.recent, ...this.pending!];
    const offset = this.count - this.recent.length;
    const v = classify(list, this.recent.length, this.prev, this.breakSelfOk);
    this.verdict = v.ok
      ? v
      : { ...v, index: v.index < 0 ? -1 : v.index + offset, verified: v.verified + offset };
    return this.verdict;
  }
}

/**
 * Verifies events in stored order (ORDER BY seq). Returns ok with the head, or the first bad
 * event with the kind of tampering.
 * @example const v = verifyChain(rows); if (!v.ok) console.error(`event ${v.seq}: ${v.kind}`);
 */
export function verifyChain(
  events: readonly RecordedEvent[],
  opts: VerifyOptions = {},
): ChainVerdict {
  const v = new ChainVerifier({ ...opts, window: Math.max(1, events.length) });
  return v.push(events) ?? v.finish();
}

function classify(
  events: readonly RecordedEvent[],
  i: number,
  prev: ChainHead,
  selfOk: boolean,
): ChainVerdict {
  const indexOfHash = new Map<string, number>();
  events.forEach((x, j) => indexOfHash.set(x.hash, j));
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
