import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyRecord } from '../src/store/audit.ts';
import { TEST_DATABASE_URL, testBackends } from '../src/store/testing.ts';
import { seedFixtureRegion, testServer, type TestServer } from '../src/server/testing.ts';

if (!TEST_DATABASE_URL)
  console.warn('lifecycle e2e: TEST_DATABASE_URL not set, the PostgreSQL-server half is not run');

const H = '0123456789abcdef'.repeat(4);
const photo = (i: number, at: string) => ({
  sha256: H.slice(i) + H.slice(0, i),
  lon: 112.011,
  lat: 35.011,
  takenAt: at,
});

describe.each(testBackends())('a 图斑 from detection to closure over HTTP on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  let s: TestServer;
  let clock = new Date('2026-11-20T02:00:00.000Z');
  const now = () => clock;
  const cookies: Record<string, string> = {};
  let id = 0;

  /** Moves the injected clock; sessions are 12 h, so everyone logs in again at the new time. */
  async function setClock(to: Date) {
    clock = to;
    for (const u of ['province', 'reviewer', 'zezhou', 'gaoping', 'township', 'village', 'admin'])
      cookies[u] = await s.login(u);
  }

  beforeAll(async () => {
    db = await backend.open();
    await seedFixtureRegion(db);
    s = await testServer(db, { now });
    await setClock(clock);
    const list = await s.app.inject({
      method: 'GET',
      url: '/api/polygons',
      headers: { cookie: cookies.province },
    });
    id = list.json().items.find((p: { code: string }) => p.code === 'P-NANCUN').id;
  });
  afterAll(async () => {
    await s?.close();
    await db?.drop();
  });

  async function act(user: string, action: string, input: Record<string, unknown>, polygon = id) {
    const res = await s.app.inject({
      method: 'POST',
      url: `/api/polygons/${polygon}/transitions`,
      headers: { cookie: cookies[user] },
      payload: { action, input },
    });
    return { status: res.statusCode, body: res.json() };
  }
  async function version(polygon = id): Promise<number> {
    const res = await s.app.inject({
      method: 'GET',
      url: `/api/polygons/${polygon}/actions`,
      headers: { cookie: cookies.province },
    });
    return res.json().state.version;
  }
  async function actOk(user: string, action: string, input: Record<string, unknown>) {
    const r = await act(user, action, { version: await version(), ...input });
    expect(r, `${user} ${action}`).toMatchObject({ status: 200 });
    return r.body.state;
  }

  it('walks every step with the right roles, and the record verifies', async () => {
    const actions = await s.app.inject({
      method: 'GET',
      url: `/api/polygons/${id}/actions`,
      headers: { cookie: cookies.province },
    });
    expect(actions.json().state).toMatchObject({ status: 'found', version: 1 });
    expect(actions.json().actions.map((a: { action: string }) => a.action)).toContain('analyse');

    await actOk('province', 'analyse', {
      totalMu: 6,
      layerMu: { farmland: 5.5 },
      preJudgment: { approval: 'unapproved', onFarmland: true, onPermanentBasicFarmland: false },
    });
    const dispatch = await s.app.inject({
      method: 'POST',
      url: '/api/dispatch',
      headers: { cookie: cookies.province },
      payload: { period: '2026-11' },
    });
    expect(dispatch.json().pushed).toContain(id);

    const inbox = await s.app.inject({
      method: 'GET',
      url: '/api/inbox',
      headers: { cookie: cookies.village },
    });
    expect(inbox.json().items.some((n: { polygonId: number }) => n.polygonId === id)).toBe(true);

    const at = clock.toISOString();
    await actOk('village', 'verify', {
      photos: [photo(1, at), photo(2, at)],
      description: '耕地上新建砖混房屋一处',
      visitedAt: at,
      builder: '张三',
    });
    await actOk('zezhou', 'determine', {
      category: 'illegal',
      illegalSubtype: 'new',
      buildYear: 2026,
    });
    await actOk('reviewer', 'return', { reason: '举证照片未体现建筑全貌' });
    await actOk('zezhou', 'determine', {
      category: 'illegal',
      illegalSubtype: 'new',
      buildYear: 2026,
      note: '补充全景照片',
    });
    await actOk('reviewer', 'accept', {});
    await actOk('village', 'stop', { method: 'on_site', stoppedAt: at, photos: [photo(3, at)] });
    await actOk('zezhou', 'file_case', {
      mode: 'direct',
      caseNo: '泽自然资罚〔2026〕12号',
      parties: [
        { kind: 'person', name: '张三丰', idNumber: '140525198001011234', phone: '13800138000' },
      ],
    });
    await actOk('zezhou', 'decide', {
      decisionNo: '泽自然资决〔2026〕12号',
      measures: [{ kind: 'demolish' }, { kind: 'restore_land' }],
      hearing: 'waived',
      investigationReportNo: '调查〔2026〕12号',
      rectifyBy: '2026-12-31',
    });
    await actOk('zezhou', 'enforce', {
      method: 'voluntary',
      measuresDone: ['demolish', 'restore_land'],
      photos: [photo(4, at)],
    });
    await actOk('village', 'rectify', {
      restoredToFarming: true,
      photos: [photo(5, at)],
      completedAt: at,
    });
    await actOk('reviewer', 'recheck_pass', { method: 'imagery', imageryDate: '2026-11-25' });
    const closed = await actOk('zezhou', 'close', { summary: '已拆除复耕，结案' });
    expect(closed.status).toBe('closed');

    const page = await s.app.inject({
      method: 'GET',
      url: `/api/polygons/${id}`,
      headers: { cookie: cookies.zezhou },
    });
    const types = page.json().events.map((e: { type: string }) => e.type);
    expect(types[0]).toBe('polygon.found');
    expect(types.at(-1)).toBe('polygon.close');
    expect(page.json().events.every((e: { hash: string }) => /^[0-9a-f]{64}$/.test(e.hash))).toBe(
      true,
    );
    expect(await verifyRecord(db)).toMatchObject({ ok: true });

    const pub = await s.app.inject({
      method: 'POST',
      url: `/api/polygons/${id}/publish`,
      headers: { cookie: cookies.zezhou },
    });
    expect(pub.statusCode).toBe(200);
    const open = await s.app.inject({ method: 'GET', url: '/api/public/cases' });
    const text = JSON.stringify(open.json());
    expect(open.json().items.length).toBe(1);
    expect(text).not.toContain('张三丰');
    expect(text).not.toContain('140525198001011234');
    expect(text).not.toContain('13800138000');
  });

  it('guards every step: wrong role, missing evidence, wrong jurisdiction, stale version, wrong state', async () => {
    const other = (
      await s.app.inject({
        method: 'GET',
        url: '/api/polygons',
        headers: { cookie: cookies.province },
      })
    )
      .json()
      .items.find((p: { code: string }) => p.code === 'P-BEICUN').id;
    const v = await version(other);
    expect(
      (
        await act(
          'township',
          'analyse',
          {
            version: v,
            totalMu: 1,
            layerMu: {},
            preJudgment: {
              approval: 'unapproved',
              onFarmland: true,
              onPermanentBasicFarmland: false,
            },
          },
          other,
        )
      ).body.error.code,
    ).toBe('forbidden');
    expect((await act('gaoping', 'analyse', { version: v }, other)).status).toBe(404);
    expect(
      (
        await act(
          'province',
          'verify',
          { version: v, photos: [], description: 'x', visitedAt: clock.toISOString() },
          other,
        )
      ).body.error.code,
    ).toBe('forbidden');
    const missing = await act(
      'province',
      'analyse',
      {
        version: v,
        layerMu: {},
        preJudgment: { approval: 'unapproved', onFarmland: true, onPermanentBasicFarmland: false },
      },
      other,
    );
    expect(missing.body.error).toMatchObject({ code: 'bad_input', field: 'totalMu' });
    expect(
      (
        await act(
          'province',
          'push',
          { version: v, unitCode: '140525100201', assigneeIds: [] },
          other,
        )
      ).body.error.code,
    ).toBe('conflict');
    const ok = await act(
      'province',
      'analyse',
      {
        version: v,
        totalMu: 1,
        layerMu: {},
        preJudgment: { approval: 'unapproved', onFarmland: true, onPermanentBasicFarmland: false },
      },
      other,
    );
    expect(ok.status).toBe(200);
    const stale = await act('province', 'dismiss', { version: v, reason: 'seasonal_crop' }, other);
    expect(stale).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
  });

  it('lets exactly one of two simultaneous officers win', async () => {
    const third = (
      await s.app.inject({
        method: 'GET',
        url: '/api/polygons',
        headers: { cookie: cookies.province },
      })
    )
      .json()
      .items.find((p: { code: string }) => p.code === 'P-GAOPING').id;
    const v = await version(third);
    const input = {
      version: v,
      totalMu: 2,
      layerMu: {},
      preJudgment: { approval: 'unapproved', onFarmland: true, onPermanentBasicFarmland: false },
    };
    const [a, b] = await Promise.all([
      act('province', 'analyse', input, third),
      act('reviewer', 'analyse', input, third),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect(await version(third)).toBe(v + 1);
  });

  it('reminds before a deadline and escalates after it, once each (injected clock)', async () => {
    const beicun = (
      await s.app.inject({
        method: 'GET',
        url: '/api/polygons',
        headers: { cookie: cookies.province },
      })
    )
      .json()
      .items.find((p: { code: string }) => p.code === 'P-BEICUN').id;
    const push = await act(
      'province',
      'push',
      { version: await version(beicun), unitCode: '140525100201', assigneeIds: [] },
      beicun,
    );
    expect(push.status).toBe(200);
    const due = push.body.state.deadlines.find((d: { kind: string }) => d.kind === 'verify').dueAt;
    const scan = async () =>
      (
        await s.app.inject({
          method: 'POST',
          url: '/api/deadlines/scan',
          headers: { cookie: cookies.admin },
        })
      ).json();
    await setClock(new Date(Date.parse(due) - 2 * 86400_000));
    expect((await scan()).reminders).toBeGreaterThanOrEqual(1);
    expect((await scan()).reminders).toBe(0);
    await setClock(new Date(Date.parse(due) + 10 * 86400_000));
    const late = await scan();
    expect(late.escalations).toBeGreaterThanOrEqual(1);
    expect(late.overdue).toBeGreaterThanOrEqual(1);
    expect((await scan()).escalations).toBe(0);
    const township = await s.app.inject({
      method: 'GET',
      url: '/api/inbox',
      headers: { cookie: cookies.township },
    });
    expect(
      township
        .json()
        .items.some(
          (n: { kind: string; polygonId: number }) =>
            n.kind === 'deadline_escalation' && n.polygonId === beicun,
        ),
    ).toBe(true);
  });

  it('draws the same spot check from the same seed', async () => {
    const body = { period: '2026-11', rate: 0.5, minPerStratum: 1, seed: 'seed-2026-11-jc' };
    const a = await s.app.inject({
      method: 'POST',
      url: '/api/spot-checks',
      headers: { cookie: cookies.reviewer },
      payload: body,
    });
    const b = await s.app.inject({
      method: 'POST',
      url: '/api/spot-checks',
      headers: { cookie: cookies.reviewer },
      payload: body,
    });
    expect(a.statusCode).toBe(201);
    expect(a.json().sample.ids).toEqual(b.json().sample.ids);
    expect(a.json().sample.seed).toBe('seed-2026-11-jc');
    const denied = await s.app.inject({
      method: 'POST',
      url: '/api/spot-checks',
      headers: { cookie: cookies.village },
      payload: body,
    });
    expect(denied.statusCode).toBe(403);
  });
});
