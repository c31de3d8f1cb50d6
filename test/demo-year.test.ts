import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../src/demo/load.ts';
import { DEMO_SWEEP_YEAR } from '../src/demo/oversight-year.ts';
import { testServer, type TestServer } from '../src/server/testing.ts';
import { verifyRecord } from '../src/store/audit.ts';
import { testBackends } from '../src/store/testing.ts';

/*
 * The demo's oversight year on an in-memory demo load: every register, ledger, duty, sweep,
 * scorecard, indicator and the leads report has examples, as the office app reads them, and
 * the record still verifies.
 */
describe('the demo oversight year', () => {
  const [backend] = testBackends();
  const dataDir = mkdtempSync(join(tmpdir(), 'gengbao-demo-year-'));
  let db: Awaited<ReturnType<typeof backend.open>>;
  let s: TestServer;
  let cookie = '';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies checked by the assertions
  const get = async (url: string): Promise<any> => {
    const r = await s.app.inject({ method: 'GET', url, headers: { cookie } });
    expect(r.statusCode, url).toBe(200);
    return r.json();
  };

  beforeAll(async () => {
    db = await backend.open();
    await loadDemo(db, { dataDir });
    s = await testServer(db, { now: () => new Date('2026-12-07T02:00:00.000Z') });
    const r = await s.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'sx.supervisor', password: 'gengbao-demo' },
    });
    cookie = String(r.headers['set-cookie']).split(';')[0];
  }, 240_000);
  afterAll(async () => {
    await s?.close();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sweeps 2025: every county has a ledger, duties raised, 补划 done and overdue', async () => {
    expect(DEMO_SWEEP_YEAR).toBe(2025);
    const ledgers = (await get('/api/oversight/ledgers')).items;
    expect(ledgers.map((l: { countyCode: string }) => l.countyCode).sort()).toEqual([
      '140502',
      '140521',
      '140522',
      '140524',
      '140525',
      '140581',
    ]);
    const zezhou = (await get('/api/oversight/ledgers/140525')).items;
    expect(zezhou.map((e: { kind: string }) => e.kind)).toEqual([
      'opening',
      'deduction',
      'deduction',
    ]);
    const sweeps = (await get('/api/oversight/sweeps')).items;
    expect(sweeps).toMatchObject([{ year: 2025, casesSwept: 17, dutiesRaised: 10 }]);
    const pbf = (await get('/api/oversight/duties?year=2025&kind=pbf_redesignation')).items;
    expect(pbf.map((d: { status: string }) => d.status).sort()).toEqual([
      'done',
      'done',
      'open',
      'open',
    ]);
    expect(pbf.every((d: { dueDate: string }) => d.dueDate.startsWith('2026-06-30'))).toBe(true);
    const done = pbf.find((d: { status: string }) => d.status === 'done');
    expect((await get(`/api/oversight/duties/${done.id}`)).replacements.length).toBe(1);
  });

  it('lists every register, the leads report and the scorecards', async () => {
    const count = async (kind: string) =>
      (await get(`/api/oversight/registers/${kind}?period=2025`)).count as number;
    for (const kind of [
      'interference',
      'overturned',
      'transfers',
      'listings',
      'summons',
      'criticism',
      'rewards',
    ])
      expect(await count(kind), kind).toBeGreaterThan(0);
    const transfer = (await get('/api/oversight/registers/transfers?period=2025')).items[0];
    expect(transfer).toMatchObject({ to: 'police', outcome: 'filed' });
    expect(transfer.receiptNo).toBeTruthy();
    const listing = (await get('/api/oversight/registers/listings?period=2025')).items[0];
    expect(listing.liftedAt).toBeTruthy();
    expect(listing.progress.length).toBe(1);

    const leads = await get('/api/leads/report');
    expect(leads.items.map((l: { source: string }) => l.source).sort()).toEqual([
      'inspectorate',
      'media',
    ]);
    const cards = (await get('/api/oversight/scorecards?year=2025&level=township')).items;
    expect(cards.some((c: { score: number | null }) => c.score !== null)).toBe(true);
  });

  it('shows 泽州县 over the 15 % line in 2025, its weak enforcement, and suggests measures', async () => {
    const ratio = (await get('/api/oversight/illegal-ratio?year=2025')).items;
    expect(ratio.find((r: { unit: string }) => r.unit === '140525')).toMatchObject({
      exceeded: true,
    });
    const weak = (await get('/api/oversight/weak-enforcement?year=2025')).items;
    expect(weak.some((w: { notRestored: { flagged: boolean } }) => w.notRestored.flagged)).toBe(
      true,
    );
    const suggested = (await get('/api/oversight/suggestions?year=2025')).items;
    expect(suggested).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          unitCode: '140525',
          kind: 'summons',
          basis: 'illegal_ratio',
          recorded: true,
        }),
        expect.objectContaining({
          unitCode: '140525',
          kind: 'referral',
          basis: 'illegal_ratio',
          recorded: false,
        }),
      ]),
    );
    expect((await verifyRecord(db)).ok).toBe(true);
  });
});
