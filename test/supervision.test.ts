import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/accounts/password.ts';
import {
  apiCalls,
  FIXTURE_PASSWORD,
  seedFixtureRegion,
  square,
  testServer,
  type TestServer,
} from '../src/server/testing.ts';
import { verifyRecord } from '../src/store/audit.ts';
import { eventsOf } from '../src/store/events.ts';
import { Scope } from '../src/store/scope.ts';
import { TEST_DATABASE_URL, testBackends } from '../src/store/testing.ts';
import { insertUser } from '../src/store/users.ts';

/*
 * Registers, accountability measures, leads from above and scorecards over HTTP on both
 * back-ends: a supervisor hands over an inspectorate lead with its document and file; it lands
 * in its village, reaches 泽州县 and walks the lifecycle to a filed, transferred, listed case;
 * another verdict is overturned on a spot check; summonses and criticism are recorded; each
 * register lists, filters, counts and exports what the record holds.
 */
if (!TEST_DATABASE_URL)
  console.warn('supervision: TEST_DATABASE_URL not set, the PostgreSQL-server half is not run');

const H = '0123456789abcdef'.repeat(4);
const photo = (i: number, at: string) => ({
  sha256: H.slice(i) + H.slice(0, i),
  lon: 112.03,
  lat: 35.03,
  takenAt: at,
});
// A PNG's signature and a little more: what the server recognises as a scanned document.
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('交办函扫描件'),
]);
const DOC = {
  docNo: '晋督察交〔2026〕7号',
  docDate: '2026-11-18',
  issuingBody: '国家自然资源督察太原局',
  summary: '卫片外新增建筑',
};

describe.each(testBackends())('registers, leads and scorecards over HTTP on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  let s: TestServer;
  const clock = new Date('2026-11-20T02:00:00.000Z');
  const cookies: Record<string, string> = {};
  let leadId = 0;

  const { get, post, act } = apiCalls(() => s, cookies);

  beforeAll(async () => {
    db = await backend.open();
    await seedFixtureRegion(db);
    await insertUser(db, Scope.system(), {
      username: 'supervisor',
      displayName: '督察员甲',
      passwordHash: await hashPassword(FIXTURE_PASSWORD),
      role: 'supervisor',
      jurisdictionCode: '140000',
    });
    s = await testServer(db, { now: () => clock });
    for (const u of ['supervisor', 'province', 'reviewer', 'zezhou', 'village'])
      cookies[u] = await s.login(u);
  }, 60_000);
  afterAll(async () => {
    await s?.close();
    await db?.drop();
  });

  it('takes an inspectorate lead with its document and file; it reaches the county', async () => {
    const body = {
      source: 'inspectorate',
      geometry: square(112.03, 35.03, 0.002),
      document: DOC,
      file: { name: '交办函.png', contentBase64: PNG.toString('base64') },
    };
    // The county does not hand over leads from the inspectorate; a village chief takes none.
    expect((await post('zezhou', '/api/leads', body)).status).toBe(403);
    expect((await post('village', '/api/leads', body)).status).toBe(403);
    expect(
      (
        await post('supervisor', '/api/leads', {
          ...body,
          geometry: { type: 'Polygon', coordinates: [[[112, 35]]] },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await post('supervisor', '/api/leads', {
          ...body,
          file: { name: 'x.exe', contentBase64: Buffer.from('MZ').toString('base64') },
        })
      ).status,
    ).toBe(400);
    const r = await post('supervisor', '/api/leads', body);
    expect(r).toMatchObject({
      status: 201,
      body: { jurisdictionCode: '140525100200', countyCode: '140525' },
    });
    expect(r.body.fileSha256).toMatch(/^[0-9a-f]{64}$/);
    leadId = r.body.polygonId;
    // In the county's list with its source, and in the county's inbox.
    const listed = await get('zezhou', '/api/polygons?source=inspectorate');
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).toContain(r.body.code);
    const handover = await eventsOf(db, Scope.system(), 'lead_handover', String(leadId));
    expect(handover).toMatchObject([
      {
        type: 'lead.handed_over',
        payload: { docNo: DOC.docNo, file: { sha256: r.body.fileSha256 } },
      },
    ]);
    const found = await eventsOf(db, Scope.system(), 'polygon', String(leadId));
    expect(found[0].payload).toMatchObject({ action: 'found' });
  });

  it('lists transfers, listings and interference from the record, with filters, counts and xlsx', async () => {
    const at = clock.toISOString();
    await act('province', leadId, 'analyse', {
      totalMu: 3,
      layerMu: { farmland: 2.5 },
      preJudgment: { approval: 'unapproved', onFarmland: true, onPermanentBasicFarmland: false },
    });
    await act('province', leadId, 'push', { unitCode: '140525100200', assigneeIds: [] });
    await act('zezhou', leadId, 'verify', {
      photos: [photo(1, at), photo(2, at)],
      description: '耕地上新建厂房',
      visitedAt: at,
    });
    await act('zezhou', leadId, 'determine', { category: 'illegal', illegalSubtype: 'new' });
    await act('reviewer', leadId, 'accept', {});
    await act('zezhou', leadId, 'stop', {
      method: 'stop_order',
      orderNo: '泽自然资停〔2026〕3号',
      stoppedAt: at,
      photos: [photo(3, at)],
    });
    await act('zezhou', leadId, 'file_case', {
      mode: 'direct',
      caseNo: '泽自然资立〔2026〕21号',
      parties: [{ kind: 'organisation', name: '某建材公司' }],
    });
    await act('zezhou', leadId, 'transfer', {
      to: 'police',
      docNo: '泽移〔2026〕2号',
      reason: '涉嫌非法占用农用地罪',
    });
    await act('zezhou', leadId, 'transfer_feedback', {
      transferDocNo: '泽移〔2026〕2号',
      receiptNo: '泽公受〔2026〕9号',
      receivedAt: '2026-11-20',
    });
    await act('supervisor', leadId, 'list_case', {
      authority: '国家自然资源督察太原局',
      docNo: '太督〔2026〕5号',
      deadline: '2027-03-31',
    });
    await act('zezhou', leadId, 'report_listing_progress', { progress: '已立案，移送公安' });
    await act('zezhou', leadId, 'record_interference', {
      interferer: { name: '王某某', position: '副镇长', organisation: '南村镇人民政府' },
      occurredAt: at,
      how: 'phone',
      description: '电话要求暂缓立案',
    });

    const transfers = await get('province', '/api/oversight/registers/transfers');
    expect(transfers.body).toMatchObject({
      count: 1,
      items: [{ to: 'police', receiptNo: '泽公受〔2026〕9号', outcome: null }],
    });
    const listings = await get(
      'province',
      '/api/oversight/registers/listings?region=140525&period=2026',
    );
    expect(listings.body).toMatchObject({
      count: 1,
      items: [
        {
          docNo: '太督〔2026〕5号',
          status: 'case_filed',
          progress: [{ progress: '已立案，移送公安' }],
          liftedAt: null,
        },
      ],
    });
    expect(
      (await get('province', '/api/oversight/registers/listings?region=140581')).body.count,
    ).toBe(0);
    expect(
      (await get('province', '/api/oversight/registers/listings?period=2025')).body.count,
    ).toBe(0);
    const interference = await get('zezhou', '/api/oversight/registers/interference?person=王某');
    expect(interference.body).toMatchObject({
      count: 1,
      items: [{ interfererName: '王某某', how: 'phone' }],
    });
    expect(
      (await get('zezhou', '/api/oversight/registers/interference?person=李')).body.count,
    ).toBe(0);
    expect((await get('village', '/api/oversight/registers/interference')).status).toBe(403);

    const file = await get('province', '/api/oversight/registers/transfers/xlsx');
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.body as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.name).toBe('移送台账');
    expect(ws.getRow(1).values).toContain('移送机关');
    expect(ws.getRow(2).values).toContain('公安机关');
    expect(ws.getRow(2).values).toContain('南村');
  });

  it('names who made a verdict a spot check overturned, and their unit', async () => {
    const ids = (await get('province', '/api/polygons?jurisdiction=140525100201')).body;
    const id = (ids.items ?? ids).find((p: { code: string }) => p.code === 'P-BEICUN').id;
    const at = clock.toISOString();
    await act('province', id, 'analyse', {
      totalMu: 1,
      layerMu: { farmland: 1 },
      preJudgment: { approval: 'approved', onFarmland: true, onPermanentBasicFarmland: false },
    });
    await act('province', id, 'push', { unitCode: '140525100201', assigneeIds: [] });
    await act('zezhou', id, 'verify', {
      photos: [photo(4, at), photo(5, at)],
      description: '有批文',
      visitedAt: at,
    });
    await act('zezhou', id, 'determine', {
      category: 'lawful',
      approvalDocNo: '晋政地〔2026〕1号',
    });
    await act('reviewer', id, 'accept', {});
    await act('supervisor', id, 'spot_check_reject', {
      sampleSeed: 's-2026-11',
      finding: '批文范围外占地',
      correctCategory: 'illegal',
    });
    const r = await get('province', '/api/oversight/registers/overturned?unit=140525');
    expect(r.body).toMatchObject({
      count: 1,
      items: [{ polygonCode: 'P-BEICUN', verdictCategory: 'lawful', correctCategory: 'illegal' }],
    });
    const maker = r.body.people[r.body.items[0].verdictBy];
    expect(maker).toMatchObject({ name: 'zezhou', unitCode: '140525', unitName: '泽州县' });
    expect(
      (await get('province', '/api/oversight/registers/overturned?unit=140581')).body.count,
    ).toBe(0);
    expect(
      (await get('province', '/api/oversight/registers/overturned?person=zezhou')).body.count,
    ).toBe(1);

    const weak = await get('province', '/api/oversight/weak-enforcement?year=2026');
    expect(weak.body.items.find((i: { unit: string }) => i.unit === '140525')).toMatchObject({
      name: '泽州县',
      overturned: { count: 1, of: 1, share: 1, flagged: true },
    });
  });

  it('records 约谈 and 通报批评 from above, each an event; the county may not summon itself', async () => {
    const summons = {
      kind: 'summons',
      unitCode: '140525',
      personName: '张某',
      personPosition: '县长',
      year: 2026,
      basis: 'illegal_ratio',
      docNo: '晋自然资约〔2026〕2号',
      issuedOn: '2026-11-19',
      issuingBody: '山西省自然资源厅',
      reason: '违法占用耕地面积比例超过 15%',
    };
    expect((await post('zezhou', '/api/oversight/measures', summons)).status).toBe(403);
    const r = await post('supervisor', '/api/oversight/measures', summons);
    expect(r).toMatchObject({ status: 201, body: { kind: 'summons', jurisdictionCode: '140525' } });
    await post('reviewer', '/api/oversight/measures', {
      ...summons,
      kind: 'criticism',
      docNo: '晋市通〔2026〕4号',
      issuingBody: '晋城市自然资源局',
    });
    expect(
      (await get('province', '/api/oversight/registers/summons?period=2026')).body,
    ).toMatchObject({ count: 1, items: [{ personName: '张某' }] });
    expect((await get('zezhou', '/api/oversight/registers/criticism')).body.count).toBe(1);
    expect(await eventsOf(db, Scope.system(), 'accountability', String(r.body.id))).toMatchObject([
      { type: 'accountability.summons' },
    ]);
  });

  it('reports what became of handed-over leads, and scores townships and villages', async () => {
    const report = await get('province', '/api/leads/report?from=2026-11-01&to=2026-11-30');
    expect(report.body.items).toMatchObject([
      { polygonId: leadId, outcome: 'filed', caseNo: '泽自然资立〔2026〕21号' },
    ]);
    expect(
      report.body.counts.find((c: { source: string }) => c.source === 'inspectorate'),
    ).toMatchObject({ total: 1, outcomes: { filed: 1 } });
    expect((await get('province', '/api/leads/report?from=2026-12-01')).body.items).toEqual([]);
    const xlsx = await get('province', '/api/leads/report/xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    expect(wb.worksheets[0].getRow(2).values).toContain('督察交办');

    const cards = await get('province', '/api/oversight/scorecards?year=2026&level=village');
    const nancun = cards.body.items.find((i: { unit: string }) => i.unit === '140525100200');
    // The lead was handed over, not spotted on patrol: a stop, but not one before the satellite.
    // 南村's chief never patrolled: rate 0, weighing 30 of the 50 measured.
    expect(nancun.components).toMatchObject({
      patrol: { count: 1, value: 0 },
      verifyOnTime: { count: 1, of: 1, value: 1 },
      earlyStop: { count: 0, of: 1 },
      notResumed: { count: 1, of: 1 },
    });
    expect(nancun.score).toBe(50);
    const beicun = cards.body.items.find((i: { unit: string }) => i.unit === '140525100201');
    expect(beicun.components.notOverturned).toMatchObject({ count: 0, of: 1, value: 0 });
    // 北村: verified on time (30) but overturned (20): 60 of 100 measured → first.
    expect(beicun).toMatchObject({ score: 60, rank: 1 });
    expect(nancun.rank).toBe(2);
    expect((await get('province', '/api/oversight/scorecards/xlsx?year=2026')).status).toBe(200);
    expect(await verifyRecord(db)).toMatchObject({ ok: true });
  });
});
