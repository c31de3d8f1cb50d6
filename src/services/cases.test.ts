import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGengbaoError } from '../errors.ts';
import { seedFixtureRegion } from '../server/testing.ts';
import { verifyRecord } from '../store/audit.ts';
import { eventsOf } from '../store/events.ts';
import { Scope } from '../store/scope.ts';
import { testBackends } from '../store/testing.ts';
import { listUsers, principalOf, type Principal } from '../store/users.ts';
import { buildServices, type Services } from './container.ts';

const ANALYSIS = {
  totalMu: 3,
  layerMu: { farmland: 2.5 },
  preJudgment: { approval: 'unapproved', onFarmland: true, onPermanentBasicFarmland: false },
};

/** The error code a promise is refused with (a GengbaoError), or a failure if it resolves. */
async function codeOf(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!isGengbaoError(e)) throw new Error(`expected a GengbaoError, got ${String(e)}`);
  return e.code;
}

describe.each(testBackends())('CaseService on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  let services: Services;
  const who: Record<string, Principal> = {};
  const ids: Record<string, number> = {};
  const at = new Date('2026-11-20T02:00:00.000Z');

  beforeAll(async () => {
    db = await backend.open();
    await seedFixtureRegion(db);
    services = buildServices({ db, dataDir: '/nonexistent-gengbao-test', now: () => at });
    for (const u of await listUsers(db, Scope.system())) who[u.username] = principalOf(u);
    for (const r of await db.query<{ id: string | number; code: string }>(
      'SELECT id, code FROM polygons',
    ))
      ids[r.code] = Number(r.id);
  });
  afterAll(async () => {
    await services?.close();
    await db?.drop();
  });

  const stored = async (id: number) =>
    (
      await db.query<{ status: string; version: number }>(
        'SELECT status, version FROM polygons WHERE id = $1',
        [id],
      )
    )[0];
  const events = (id: number) => eventsOf(db, Scope.system(), 'polygon', String(id));

  it('stores the new state with its event, the case opened first for a 图斑 without one', async () => {
    const id = ids['P-NANCUN'];
    const r = await services.cases.act(who.province, id, 'analyse', { version: 1, ...ANALYSIS });
    expect(r.state).toMatchObject({ status: 'analysed', version: 2 });
    expect(await stored(id)).toMatchObject({ status: 'analysed', version: 2 });
    const recorded = await events(id);
    expect(recorded.map((e) => e.type)).toEqual(['polygon.found', 'polygon.analyse']);
    expect(String(recorded[1].actorId)).toBe(String(who.province.id));
    expect(await verifyRecord(db)).toMatchObject({ ok: true });
  });

  it('keeps state and record together: when the event cannot be stored, the state is not either', async () => {
    const id = ids['P-BEICUN'];
    await services.cases.act(who.province, id, 'analyse', { version: 1, ...ANALYSIS });
    const before = { state: await stored(id), events: (await events(id)).length };
    await db.exec(`CREATE FUNCTION refuse_event() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'event refused by the test'; END $$;
      CREATE TRIGGER refuse_event BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse_event();`);
    try {
      await expect(
        services.cases.act(who.province, id, 'dismiss', { version: 2, reason: 'seasonal_crop' }),
      ).rejects.toThrow(/event refused/);
    } finally {
      await db.exec('DROP TRIGGER refuse_event ON events; DROP FUNCTION refuse_event();');
    }
    expect(await stored(id)).toEqual(before.state);
    expect((await events(id)).length).toBe(before.events);
  });

  it('refuses a stale version with conflict and changes nothing', async () => {
    const id = ids['P-BEICUN'];
    const before = await stored(id);
    expect(
      await codeOf(
        services.cases.act(who.reviewer, id, 'dismiss', { version: 1, reason: 'seasonal_crop' }),
      ),
    ).toBe('conflict');
    expect(await stored(id)).toEqual(before);
  });

  it('refuses the wrong jurisdiction: another county sees nothing, a push to an outside assignee is forbidden_jurisdiction', async () => {
    const id = ids['P-BEICUN'];
    const before = { state: await stored(id), events: (await events(id)).length };
    // An officer of 高平市 cannot reach 泽州县's 图斑 at all: the store hides it.
    expect(
      await codeOf(
        services.cases.act(who.gaoping, id, 'dismiss', { version: 2, reason: 'seasonal_crop' }),
      ),
    ).toBe('not_found');
    // A push naming a user of another county (高平市) for a 图斑 of 泽州县.
    const push = { version: 2, unitCode: '140525100201', assigneeIds: [String(who.gaoping.id)] };
    expect(await codeOf(services.cases.act(who.province, id, 'push', push))).toBe(
      'forbidden_jurisdiction',
    );
    expect(await stored(id)).toEqual(before.state);
    expect((await events(id)).length).toBe(before.events);
    const n = await db.query('SELECT 1 FROM notifications WHERE polygon_id = $1', [id]);
    expect(n.length).toBe(0);
  });

  it('pushPeriod pushes the analysed 图斑 to their village and notifies its field chief by name', async () => {
    const id = ids['P-NANCUN'];
    const r = await services.cases.pushPeriod(who.province, '2026-11');
    // P-NANCUN and P-BEICUN are analysed; P-GAOPING is not and is left alone.
    expect(r.refused).toEqual([]);
    expect(r.pushed.sort()).toEqual([ids['P-NANCUN'], ids['P-BEICUN']].sort());
    expect(await stored(id)).toMatchObject({ status: 'pushed', version: 3 });
    expect((await events(id)).at(-1)).toMatchObject({
      type: 'polygon.push',
      payload: expect.objectContaining({
        input: expect.objectContaining({
          assigneeIds: [String(who.village.id)],
          unitCode: '140525100200',
        }),
      }),
    });
    const notices = await db.query<{ user_id: string | number | null; jurisdiction_code: string }>(
      `SELECT user_id, jurisdiction_code FROM notifications WHERE polygon_id = $1 AND kind = 'notify'`,
      [id],
    );
    expect(notices.map((n) => Number(n.user_id))).toEqual([who.village.id]);
    expect(notices[0].jurisdiction_code).toBe('140525100200');
    // 北村 has no chief account: pushed to the unit, no one named.
    const beicun = await db.query<{ user_id: string | null }>(
      `SELECT user_id FROM notifications WHERE polygon_id = $1 AND kind = 'notify'`,
      [ids['P-BEICUN']],
    );
    expect(beicun.map((n) => n.user_id)).toEqual([null]);
    // A second dispatch finds nothing analysed left.
    expect(await services.cases.pushPeriod(who.province, '2026-11')).toEqual({
      pushed: [],
      refused: [],
    });
  });
});
