import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealEvent, type ChainHead, type RecordedEvent } from '../../src/cases/record.ts';
import { writeAnchor } from '../../src/services/record-anchors.ts';
import { auditRecord } from '../../src/services/record-audit.ts';
import { openCases, SYSTEM_ACTOR } from '../../src/services/cases.ts';
import type { Db } from '../../src/store/db.ts';
import { insertJurisdictions } from '../../src/store/jurisdictions.ts';
import { insertPolygons } from '../../src/store/polygons.ts';
import { Scope } from '../../src/store/scope.ts';
import { testBackends } from '../../src/store/testing.ts';

const system = Scope.system();
const square = (x: number) => ({
  type: 'Polygon' as const,
  coordinates: [
    [
      [x, 35.5],
      [x + 0.001, 35.5],
      [x + 0.001, 35.501],
      [x, 35.501],
      [x, 35.5],
    ],
  ],
});

/** What someone with direct database access could do: switch the append-only trigger off. */
async function tamper(db: Db, sql: string): Promise<void> {
  await db.exec(
    `ALTER TABLE events DISABLE TRIGGER events_no_update; ${sql}; ALTER TABLE events ENABLE TRIGGER events_no_update;`,
  );
}

/** Rewrites the whole chain with recomputed hashes after changing one event: the chain alone verifies. */
async function rewriteChain(db: Db, change: (e: RecordedEvent) => RecordedEvent): Promise<void> {
  const rows = await db.query<Record<string, unknown>>('SELECT * FROM events ORDER BY seq');
  let head: ChainHead = { seq: 0, hash: '0'.repeat(64) };
  const sealed = rows.map((r) => {
    const e = change({
      seq: r.seq as number,
      at: (r.at as Date).toISOString(),
      actorId: r.actor_id == null ? null : String(r.actor_id),
      entityType: r.entity_type as string,
      entityId: r.entity_id as string,
      jurisdictionCode: r.jurisdiction_code as string,
      type: r.type as string,
      payload: r.payload as RecordedEvent['payload'],
      prevHash: '',
      hash: '',
    });
    const s = sealEvent(
      {
        at: e.at,
        actorId: e.actorId,
        entityType: e.entityType,
        entityId: e.entityId,
        jurisdictionCode: e.jurisdictionCode,
        type: e.type,
        payload: e.payload,
      },
      head,
    );
    head = { seq: s.seq, hash: s.hash };
    return s;
  });
  await tamper(db, 'DELETE FROM events');
  await db.exec('ALTER TABLE events DISABLE TRIGGER events_no_update');
  for (const s of sealed) {
    await db.query(
      'INSERT INTO events (seq, at, actor_id, entity_type, entity_id, jurisdiction_code, type, payload, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8::jsonb,$9,$10)',
      [
        s.seq,
        s.at,
        s.actorId,
        s.entityType,
        s.entityId,
        s.jurisdictionCode,
        s.type,
        JSON.stringify(s.payload),
        s.prevHash,
        s.hash,
      ],
    );
  }
  await db.exec('ALTER TABLE events ENABLE TRIGGER events_no_update');
}

/**
 * Findings: `gengbao audit verify` without --anchor missed deletion of the last events and a
 * full rewrite with recomputed hashes, and never noticed a case status changed directly in the
 * polygons table. Anchors now live outside the database and are checked by default; every
 * case's stored state is compared with the replay of its record.
 */
describe.each(testBackends())('the record proves more, on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  const anchors = mkdtempSync(join(tmpdir(), 'gengbao-anchors-'));

  beforeAll(async () => {
    db = await backend.open();
    await insertJurisdictions(db, system, [
      {
        code: '140525',
        level: 'county',
        parentCode: null,
        name: '泽州县',
        geometry: null,
        meta: {},
      },
    ]);
    await db.transaction(async (tx) => {
      const ids = await insertPolygons(
        tx,
        system,
        [1, 2, 3].map((i) => ({
          code: `T-${i}`,
          source: 'detection' as const,
          period: '2026-11',
          jurisdictionCode: '140525',
          geometry: square(112.8 + i / 100),
        })),
      );
      await openCases(
        tx,
        system,
        SYSTEM_ACTOR,
        ids.map((id) => ({
          id,
          jurisdictionCode: '140525',
          source: 'detection',
          period: '2026-11',
        })),
        new Date('2026-11-02T03:00:00Z'),
      );
    });
  });
  afterAll(async () => {
    await db?.drop();
    rmSync(anchors, { recursive: true, force: true });
  });

  it('passes an honest store: chain intact against the written anchor, every case its record', async () => {
    const a = await writeAnchor(db, anchors);
    expect(a).toMatchObject({ seq: 3 });
    const r = await auditRecord(db, { anchorDir: anchors });
    expect(r.chain.ok).toBe(true);
    expect(r.anchor).toMatchObject({ seq: 3 });
    expect(r.casesChecked).toBe(3);
    expect(r.mismatches).toEqual([]);
  });

  it('catches a status changed directly in the polygons table', async () => {
    await db.query(`UPDATE polygons SET status = 'closed' WHERE code = 'T-2'`);
    const r = await auditRecord(db, { anchorDir: anchors });
    expect(r.chain.ok).toBe(true);
    expect(r.mismatches).toEqual([
      expect.objectContaining({ code: 'T-2', what: 'status', stored: 'closed', recorded: 'found' }),
    ]);
    await db.query(`UPDATE polygons SET status = 'found' WHERE code = 'T-2'`);
  });

  it('catches a case_state edited without touching status', async () => {
    await db.query(
      `UPDATE polygons SET case_state = jsonb_set(case_state, '{source}', '"tip"') WHERE code = 'T-3'`,
    );
    const r = await auditRecord(db, { anchorDir: anchors });
    expect(r.mismatches.map((m) => [m.code, m.what])).toEqual([['T-3', 'state']]);
    await db.query(
      `UPDATE polygons SET case_state = jsonb_set(case_state, '{source}', '"detection"') WHERE code = 'T-3'`,
    );
  });

  it('catches a full rewrite with recomputed hashes, without being given an anchor', async () => {
    await rewriteChain(db, (e) => (e.seq === 2 ? { ...e, at: '2026-11-01T00:00:00.000Z' } : e));
    const r = await auditRecord(db, { anchorDir: anchors });
    expect(r.chain).toMatchObject({ ok: false });
  });

  it('catches deletion of the last events, without being given an anchor', async () => {
    await rewriteChain(db, (e) => e); // back to an honest-looking chain of 3 …
    await tamper(db, 'DELETE FROM events WHERE seq = 3');
    const r = await auditRecord(db, { anchorDir: anchors });
    expect(r.chain).toMatchObject({ ok: false });
  });
});
