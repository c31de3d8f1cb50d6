import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFixtureRegion } from '../server/testing.ts';
import { Scope } from '../store/scope.ts';
import { testBackends } from '../store/testing.ts';
import { listUsers, principalOf } from '../store/users.ts';
import { buildServices, type Services } from './container.ts';
import { auditRecord } from './record-audit.ts';

const ANALYSIS = {
  totalMu: 1,
  layerMu: {},
  preJudgment: { approval: 'unapproved', onFarmland: true, onPermanentBasicFarmland: false },
};

describe.each(testBackends())('auditRecord on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  let services: Services;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    db = await backend.open();
    await seedFixtureRegion(db);
    services = buildServices({
      db,
      dataDir: '/nonexistent-gengbao-test',
      now: () => new Date('2026-11-20T02:00:00Z'),
    });
    const province = principalOf(
      (await listUsers(db, Scope.system())).find((u) => u.username === 'province')!,
    );
    for (const r of await db.query<{ id: string | number; code: string }>(
      'SELECT id, code FROM polygons',
    ))
      ids[r.code] = Number(r.id);
    // Two cases moved on through the service, one left without a case (bulk-loaded).
    await services.cases.act(province, ids['P-NANCUN'], 'analyse', { version: 1, ...ANALYSIS });
    await services.cases.act(province, ids['P-BEICUN'], 'analyse', { version: 1, ...ANALYSIS });
    await services.cases.act(province, ids['P-BEICUN'], 'dismiss', {
      version: 2,
      reason: 'seasonal_crop',
    });
  });
  afterAll(async () => {
    await services?.close();
    await db?.drop();
  });

  it('passes an honest store: the chain verifies and every case is the replay of its record', async () => {
    const r = await auditRecord(db);
    expect(r.chain).toMatchObject({ ok: true, count: 5 });
    expect(r.anchor).toBeNull();
    expect(r.casesChecked).toBe(2);
    expect(r.mismatches).toEqual([]);
  });

  it('fails the chain against an anchor beyond its end (the last events deleted)', async () => {
    const honest = await auditRecord(db);
    if (!honest.chain.ok) throw new Error('chain');
    expect((await auditRecord(db, { anchor: honest.chain.head })).chain.ok).toBe(true);
    const later = { seq: honest.chain.head.seq + 2, hash: 'f'.repeat(64) };
    expect((await auditRecord(db, { anchor: later })).chain.ok).toBe(false);
  });

  it('names a status edited directly in the polygons table, which the chain cannot see', async () => {
    await db.query(`UPDATE polygons SET status = 'closed' WHERE id = $1`, [ids['P-NANCUN']]);
    const r = await auditRecord(db);
    expect(r.chain.ok).toBe(true);
    expect(r.mismatches).toEqual([
      {
        id: ids['P-NANCUN'],
        code: 'P-NANCUN',
        what: 'status',
        stored: 'closed',
        recorded: 'analysed',
      },
    ]);
    await db.query(`UPDATE polygons SET status = 'analysed' WHERE id = $1`, [ids['P-NANCUN']]);
  });

  it('names a version or a state document edited directly', async () => {
    await db.query('UPDATE polygons SET version = 7 WHERE id = $1', [ids['P-NANCUN']]);
    await db.query(
      `UPDATE polygons SET case_state = jsonb_set(case_state, '{jurisdictionCode}', '"140581"') WHERE id = $1`,
      [ids['P-BEICUN']],
    );
    const r = await auditRecord(db);
    // Cases are checked in id order: P-NANCUN was stored before P-BEICUN.
    expect(r.mismatches).toEqual([
      expect.objectContaining({ id: ids['P-NANCUN'], what: 'version', stored: '7', recorded: '2' }),
      expect.objectContaining({ id: ids['P-BEICUN'], what: 'state' }),
    ]);
  });
});
