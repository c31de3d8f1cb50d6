import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GengbaoError } from '../errors.ts';
import {
  canonicalJson,
  chainHead,
  EMPTY_CHAIN,
  GENESIS_HASH,
  hashEvent,
  sealEvent,
  type EventDraft,
  type RecordedEvent,
} from './record.ts';
import { ChainVerifier, verifyChain } from './chain-verify.ts';
import { walk } from './test-fixtures.ts';

/** The events of a polygon walked to closure, sealed into one chain (13 events). */
function chain(): RecordedEvent[] {
  const out: RecordedEvent[] = [];
  for (const step of walk('close')) out.push(sealEvent(step.event, chainHead(out)));
  return out;
}
const rehash = (e: RecordedEvent): RecordedEvent => ({ ...e, hash: hashEvent(e) });

describe('canonical JSON (RFC 8785)', () => {
  it('sorts keys by UTF-16 code units and writes no whitespace', () => {
    expect(canonicalJson({ b: 2, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":2}',
    );
    // RFC 8785 §3.2.3 sorting example.
    const keys = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    const values = [...canonicalJson(keys).matchAll(/:"([^"]*)"/g)].map((m) => m[1]);
    expect(values).toEqual([
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Euro Sign',
      'Emoji: Grinning Face',
      'Hebrew Letter Dalet With Dagesh',
    ]);
  });

  it('writes numbers in ECMAScript form (RFC 8785 §3.2.2.3)', () => {
    expect(canonicalJson([1e21, 1e-7, 0.1, -0, 333333333.3333333, 1.0])).toBe(
      '[1e+21,1e-7,0.1,0,333333333.3333333,1]',
    );
  });

  it('refuses what jsonb or JSON cannot hold', () => {
    for (const bad of [{ x: NaN }, { x: Infinity }, { x: 'a\u0000b' }, { x: '\ud800' }]) {
      expect(() => canonicalJson(bad)).toThrow(GengbaoError);
    }
    expect(() => canonicalJson(undefined)).toThrow(GengbaoError);
  });
});

describe('sealing events', () => {
  const draft: EventDraft = {
    at: '2026-11-20T02:00:00.000Z',
    actorId: 'u1',
    entityType: 'polygon',
    entityId: 'p1',
    jurisdictionCode: '140525',
    type: 'polygon.found',
    payload: { b: [1, 2], a: 'x' },
  };

  it('hashes exactly {seq, at, actor, type, entity, payload, prevHash} in canonical form', () => {
    const e = sealEvent(draft);
    const text = `{"actor":"u1","at":"2026-11-20T02:00:00.000Z","entity":{"id":"p1","jurisdiction":"140525","type":"polygon"},"payload":{"a":"x","b":[1,2]},"prevHash":"${GENESIS_HASH}","seq":1,"type":"polygon.found"}`;
    expect(e.hash).toBe(createHash('sha256').update(text).digest('hex'));
    expect(e).toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
  });

  it('links each event to the head before it', () => {
    const first = sealEvent(draft);
    const second = sealEvent({ ...draft, type: 'polygon.analyse' }, chainHead([first]));
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
    expect(chainHead([])).toEqual(EMPTY_CHAIN);
  });

  it('needs the time as a UTC ISO instant with milliseconds (what timestamptz gives back)', () => {
    for (const at of [
      '2026-11-20T02:00:00Z',
      '2026-11-20T10:00:00.000+08:00',
      '2026-11-20T02:00:00.000123Z',
    ]) {
      const e = (() => {
        try {
          sealEvent({ ...draft, at });
        } catch (x) {
          return x as GengbaoError;
        }
      })();
      expect(e?.field).toBe('at');
    }
  });

  it('stores the payload as hashed: undefined members dropped, dates as ISO strings', () => {
    const e = sealEvent({ ...draft, payload: { a: undefined, when: new Date(0) } as never });
    expect(e.payload).toEqual({ when: '1970-01-01T00:00:00.000Z' });
    expect(verifyChain([e]).ok).toBe(true);
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain and returns its head', () => {
    const c = chain();
    expect(verifyChain(c)).toEqual({ ok: true, count: 13, head: { seq: 13, hash: c[12].hash } });
    expect(verifyChain([])).toEqual({ ok: true, count: 0, head: EMPTY_CHAIN });
  });

  it('survives a PostgreSQL round trip: jsonb reorders keys, timestamptz comes back as a Date', () => {
    const reorder = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reorder)
        : v && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, reorder(x)]),
            )
          : v;
    const fromDb = chain().map((e) => ({
      ...e,
      at: new Date(e.at).toISOString(),
      payload: reorder(JSON.parse(JSON.stringify(e.payload))) as RecordedEvent['payload'],
    }));
    expect(verifyChain(fromDb).ok).toBe(true);
  });

  it('verifies a segment from a known head', () => {
    const c = chain();
    expect(verifyChain(c.slice(5), { from: chainHead(c.slice(0, 5)) }).ok).toBe(true);
    expect(verifyChain(c.slice(5))).toMatchObject({ ok: false });
  });

  it('names a modified event (content changed, hash left)', () => {
    const c = chain();
    c[6] = { ...c[6], payload: { ...c[6].payload, role: 'admin' } };
    expect(verifyChain(c)).toMatchObject({
      ok: false,
      kind: 'modified',
      seq: 7,
      index: 6,
      verified: 6,
    });
  });

  it('names a modified event whose hash was recomputed', () => {
    const c = chain();
    c[4] = rehash({ ...c[4], at: '2026-11-21T02:00:00.000Z' });
    expect(verifyChain(c)).toMatchObject({ ok: false, kind: 'modified', seq: 5, index: 4 });
  });

  it('names a modified actor or jurisdiction (both are hashed)', () => {
    const c = chain();
    c[3] = { ...c[3], actorId: 'u-someone-else' };
    expect(verifyChain(c)).toMatchObject({ kind: 'modified', seq: 4 });
    const d = chain();
    d[8] = { ...d[8], jurisdictionCode: '140521' };
    expect(verifyChain(d)).toMatchObject({ kind: 'modified', seq: 9 });
  });

  it('names a deleted event (seq gap)', () => {
    const c = chain();
    c.splice(4, 1);
    expect(verifyChain(c)).toMatchObject({
      ok: false,
      kind: 'deleted',
      seq: 5,
      index: -1,
      verified: 4,
    });
  });

  it('names a deleted event when the later ones were renumbered to hide the gap', () => {
    const c = chain();
    c.splice(4, 1);
    const renumbered = c.map((e, i) => ({ ...e, seq: i + 1 }));
    expect(verifyChain(renumbered)).toMatchObject({ ok: false, kind: 'deleted', seq: 5 });
  });

  it('names the first event deleted from the start of the chain', () => {
    const c = chain().slice(1);
    expect(verifyChain(c)).toMatchObject({ ok: false, kind: 'deleted', seq: 1 });
  });

  it('names an inserted event linked to its predecessor (later ones renumbered)', () => {
    const c = chain();
    const forged = sealEvent(
      { ...c[7], type: 'polygon.accept', payload: { forged: true } },
      chainHead(c.slice(0, 7)),
    );
    const tampered = [
      ...c.slice(0, 7),
      forged,
      ...c.slice(7).map((e) => ({ ...e, seq: e.seq + 1 })),
    ];
    expect(verifyChain(tampered)).toMatchObject({ ok: false, kind: 'inserted', seq: 8, index: 7 });
  });

  it('names an inserted event with a made-up link', () => {
    const c = chain();
    const forged = rehash({ ...c[7], seq: 8, prevHash: 'f'.repeat(64), payload: { forged: true } });
    const tampered = [
      ...c.slice(0, 7),
      forged,
      ...c.slice(7).map((e) => ({ ...e, seq: e.seq + 1 })),
    ];
    expect(verifyChain(tampered)).toMatchObject({ ok: false, kind: 'inserted', seq: 8 });
    const unhashed = [
      ...c.slice(0, 7),
      { ...forged, hash: 'e'.repeat(64) },
      ...c.slice(7).map((e) => ({ ...e, seq: e.seq + 1 })),
    ];
    expect(verifyChain(unhashed)).toMatchObject({ ok: false, kind: 'inserted', seq: 8 });
  });

  it('names a duplicated seq as an insertion', () => {
    const c = chain();
    const dup = rehash({ ...c[3], payload: { forged: true } });
    expect(verifyChain([...c.slice(0, 4), dup, ...c.slice(4)])).toMatchObject({
      ok: false,
      kind: 'inserted',
      seq: 4,
      index: 4,
    });
  });

  it('names reordered events (seq values swapped)', () => {
    const c = chain();
    const swapped = [...c.slice(0, 5), { ...c[6], seq: 6 }, { ...c[5], seq: 7 }, ...c.slice(7)];
    expect(verifyChain(swapped)).toMatchObject({ ok: false, kind: 'reordered', seq: 6, index: 5 });
  });

  it('names an event moved to the end', () => {
    const c = chain();
    const moved = [...c.slice(0, 3), ...c.slice(4), { ...c[3], seq: 14 }];
    expect(verifyChain(moved)).toMatchObject({ ok: false, kind: 'reordered', seq: 5, index: 3 });
  });

  it('catches a truncated head against a notarised anchor', () => {
    const c = chain();
    const anchor = chainHead(c);
    expect(verifyChain(c, { anchor }).ok).toBe(true);
    expect(verifyChain(c.slice(0, 11), { anchor })).toMatchObject({
      ok: false,
      kind: 'deleted',
      seq: 12,
    });
    expect(verifyChain(c.slice(0, 11)).ok).toBe(true); // without the anchor a cut head looks whole
  });
});

describe('ChainVerifier (page by page, bounded memory)', () => {
  const pages = (events: RecordedEvent[], size: number) =>
    Array.from({ length: Math.ceil(events.length / size) }, (_, i) =>
      events.slice(i * size, (i + 1) * size),
    );
  function stream(
    events: RecordedEvent[],
    opts: ConstructorParameters<typeof ChainVerifier>[0] = {},
  ) {
    const v = new ChainVerifier(opts);
    let pushed = 0;
    for (const page of pages(events, 3)) {
      pushed += page.length;
      if (v.push(page)) break;
    }
    return { verdict: v.finish(), pushed };
  }

  it('agrees with verifyChain on an intact chain and on each kind of tampering', () => {
    const c = chain();
    const modified = chain();
    modified[6] = { ...modified[6], payload: { forged: true } };
    const deleted = chain();
    deleted.splice(4, 1);
    const swapped = [...c.slice(0, 5), { ...c[6], seq: 6 }, { ...c[5], seq: 7 }, ...c.slice(7)];
    const forged = sealEvent({ ...c[7], payload: { forged: true } }, chainHead(c.slice(0, 7)));
    const inserted = [
      ...c.slice(0, 7),
      forged,
      ...c.slice(7).map((e) => ({ ...e, seq: e.seq + 1 })),
    ];
    for (const events of [c, modified, deleted, swapped, inserted]) {
      expect(stream(events, { window: 4 }).verdict).toEqual(verifyChain(events));
    }
  });

  it('stops reading once a break is named, keeping only the window', () => {
    const c = chain();
    c[2] = { ...c[2], payload: { forged: true } };
    const { verdict, pushed } = stream(c, { window: 2 });
    expect(verdict).toMatchObject({ ok: false, kind: 'modified', seq: 3, index: 2 });
    expect(pushed).toBeLessThan(c.length);
  });

  it('checks the notarised anchor', () => {
    const c = chain();
    expect(stream(c, { anchor: chainHead(c) }).verdict.ok).toBe(true);
    expect(stream(c.slice(0, 10), { anchor: chainHead(c) }).verdict).toMatchObject({
      kind: 'deleted',
      seq: 11,
    });
    expect(stream(c, { anchor: { seq: 5, hash: 'f'.repeat(64) } }).verdict).toMatchObject({
      kind: 'modified',
      seq: 5,
      index: 4,
    });
  });
});
