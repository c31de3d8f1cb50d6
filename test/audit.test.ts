import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashEvent } from '../src/cases/record.ts';
import { verifyRecord } from '../src/store/audit.ts';
import type { Db } from '../src/store/db.ts';
import { appendEvents, chainHeadOf, eventsOf } from '../src/store/events.ts';
import { insertJurisdictions } from '../src/store/jurisdictions.ts';
import { migrate } from '../src/store/migrate.ts';
import { openPglite } from '../src/store/pglite.ts';
import { Scope } from '../src/store/scope.ts';
import { testBackends } from '../src/store/testing.ts';

const run = promisify(execFile);
const BIN = new URL('../bin/gengbao.js', import.meta.url).pathname;
const system = Scope.system();

async function seedRecord(db: Db): Promise<void> {
  await insertJurisdictions(db, system, [
    { code: '140525', level: 'county', parentCode: null, name: '泽州县', geometry: null, meta: {} },
  ]);
  for (let i = 1; i <= 10; i++) {
    await db.transaction((tx) =>
      appendEvents(tx, system, [
        {
          actorId: null,
          entityType: 'polygon',
          entityId: String(1 + (i % 3)),
          jurisdictionCode: '140525',
          type: i === 1 ? 'found' : 'determined',
          payload: { step: i, verdict: i % 2 ? '违法' : '合法', note: '核查属实' },
        },
      ]),
    );
  }
}

/** What someone with direct database access could do: switch the append-only trigger off. */
async function tamper(db: Db, sql: string): Promise<void> {
  await db.exec(
    `ALTER TABLE events DISABLE TRIGGER events_no_update; ${sql}; ALTER TABLE events ENABLE TRIGGER events_no_update;`,
  );
}

describe.each(testBackends())('the record on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  let snapshot: Record<string, unknown>[];

  beforeAll(async () => {
    db = await backend.open();
    await seedRecord(db);
    snapshot = await db.query('SELECT * FROM events ORDER BY seq');
  });
  beforeEach(async () => {
    await db.exec('TRUNCATE events');
    await db.query(
      `INSERT INTO events SELECT * FROM jsonb_populate_recordset(NULL::events, $1::jsonb)`,
      [JSON.stringify(snapshot)],
    );
  });
  afterAll(async () => db?.drop());

  it('is intact after honest appends, with a head for notarisation', async () => {
    const v = await verifyRecord(db);
    expect(v).toMatchObject({ ok: true, count: 10, head: { seq: 10 } });
    const head = await chainHeadOf(db);
    expect(head.hash).toMatch(/^[0-9a-f]{64}$/);
    const record = await eventsOf(db, new Scope('140525'), 'polygon', '2');
    expect(record.every((e) => hashEvent(e) === e.hash)).toBe(true);
  });

  it('names a modified event', async () => {
    await tamper(
      db,
      `UPDATE events SET payload = jsonb_set(payload, '{verdict}', '"合法"') WHERE seq = 5`,
    );
    expect(await verifyRecord(db)).toMatchObject({ ok: false, kind: 'modified', seq: 5 });
  });

  it('names a deleted event', async () => {
    await tamper(db, 'DELETE FROM events WHERE seq = 4');
    expect(await verifyRecord(db)).toMatchObject({ ok: false, kind: 'deleted', seq: 4 });
  });

  it('names an inserted event, even one hashed in place', async () => {
    const [five] = await db.query<{ hash: string }>('SELECT hash FROM events WHERE seq = 5');
    const forged = {
      seq: 6,
      at: '2026-11-01T00:00:00.000Z',
      actorId: null,
      entityType: 'polygon',
      entityId: '2',
      jurisdictionCode: '140525',
      type: 'determined',
      payload: { verdict: '合法' },
      prevHash: five.hash,
    };
    const hash = hashEvent(forged);
    await tamper(
      db,
      `UPDATE events SET seq = seq + 1000 WHERE seq >= 6; UPDATE events SET seq = seq - 999 WHERE seq >= 1006;
       INSERT INTO events (seq, at, actor_id, entity_type, entity_id, jurisdiction_code, type, payload, prev_hash, hash)
       VALUES (6, '${forged.at}', NULL, 'polygon', '2', '140525', 'determined', '{"verdict":"合法"}', '${five.hash}', '${hash}')`,
    );
    expect(await verifyRecord(db)).toMatchObject({ ok: false, kind: 'inserted', seq: 6 });
  });

  it('names reordered events', async () => {
    await tamper(
      db,
      'UPDATE events SET seq = 1000 WHERE seq = 6; UPDATE events SET seq = 6 WHERE seq = 7; UPDATE events SET seq = 7 WHERE seq = 1000',
    );
    expect(await verifyRecord(db)).toMatchObject({ ok: false, kind: 'reordered' });
  });

  it('catches truncation of the head against a notarised anchor', async () => {
    const anchor = await chainHeadOf(db);
    await tamper(db, 'DELETE FROM events WHERE seq >= 9');
    expect(await verifyRecord(db)).toMatchObject({ ok: true });
    expect(await verifyRecord(db, anchor)).toMatchObject({ ok: false, kind: 'deleted', seq: 9 });
  });
});

describe('gengbao audit on an embedded data directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gengbao-audit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the head, verifies, and exits 1 naming the first tampered event', async () => {
    const db = await openPglite(join(dir, 'pg'));
    await migrate(db);
    await seedRecord(db);
    await db.close();
    const env: NodeJS.ProcessEnv = { ...process.env, GENGBAO_DATA_DIR: dir };
    delete env.DATABASE_URL;
    const anchor = await run(process.execPath, [BIN, 'audit', 'anchor'], { env });
    expect(anchor.stdout.trim()).toMatch(/^10:[0-9a-f]{64}$/);
    const ok = await run(
      process.execPath,
      [BIN, 'audit', 'verify', '--anchor', anchor.stdout.trim()],
      { env },
    );
    expect(ok.stdout).toMatch(/record intact: 10 events/);

    const db2 = await openPglite(join(dir, 'pg'));
    await tamper(db2, `UPDATE events SET type = 'withdrawn' WHERE seq = 3`);
    await db2.close();
    const bad = await run(process.execPath, [BIN, 'audit', 'verify'], { env }).catch((e) => e);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/TAMPERED at event 3: modified/);
  }, 120_000);
});
