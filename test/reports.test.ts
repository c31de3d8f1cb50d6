import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../src/demo/load.ts';
import { seedFixtureRegion, testServer, type TestServer } from '../src/server/testing.ts';
import { migrate } from '../src/store/migrate.ts';
import { openPglite } from '../src/store/pglite.ts';
import { testBackends } from '../src/store/testing.ts';
import { gengbao } from './support/gengbao-process.ts';

/*
 * Statistical reports and the 图斑 dossier, end to end: the API on the fixture region on both
 * back-ends (scoping, 403, the file matching the JSON), then the commands an operator runs on
 * the Jincheng demo — `gengbao report` as xlsx and PDF, `gengbao dossier` for a closed case —
 * read back with exceljs and poppler (pdftotext, pdftoppm: Debian poppler-utils, in .ci/run).
 */
const hasPoppler = spawnSync('pdftotext', ['-v']).status === 0;
if (!hasPoppler)
  console.warn(
    'reports: pdftotext (Debian poppler-utils) not found, the PDF read-backs are not run; .ci/run installs it',
  );

const COUNTIES = ['城区', '沁水县', '阳城县', '陵川县', '泽州县', '高平市'];

/** Rows of the first sheet from row 8 on: name → the values of the columns, by header key order. */
async function readSheet(bytes: Uint8Array) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ArrayBuffer);
  const ws = book.worksheets[0];
  const rows = new Map<string, unknown[]>();
  for (let r = 8; r <= ws.rowCount; r++) {
    const name = ws.getCell(r, 1).value;
    if (typeof name === 'string' && !name.startsWith('注'))
      rows.set(name, (ws.getRow(r).values as unknown[]).slice(3));
  }
  return { ws, rows };
}

describe.each(testBackends())('statistical reports over HTTP on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  let s: TestServer;
  beforeAll(async () => {
    db = await backend.open();
    await seedFixtureRegion(db);
    s = await testServer(db, { now: () => new Date('2026-12-02T02:00:00.000Z') });
  });
  afterAll(async () => {
    await s?.close();
    await db?.drop();
  });
  const get = async (user: string, url: string) =>
    s.app.inject({ method: 'GET', url, headers: { cookie: await s.login(user) } });

  it('gives the city reviewer the city broken down by county, the file matching the JSON', async () => {
    const json = await get('reviewer', '/api/reports/statistics/table?period=2026-11&unit=140500');
    expect(json.statusCode).toBe(200);
    const table = json.json();
    expect(table.title).toBe('晋城市2026年11月卫片执法图斑统计报表');
    expect(table.tables[0].rows.map((r: { name: string }) => r.name)).toEqual(['泽州县', '高平市']);
    expect(table.tables[0].total.values.found).toBe(3);
    const file = await get(
      'reviewer',
      '/api/reports/statistics?period=2026-Q4&unit=140500&format=xlsx',
    );
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent('晋城市2026年第四季度卫片执法图斑统计报表.xlsx')}`,
    );
    const { rows } = await readSheet(file.rawPayload);
    expect(rows.get('泽州县')![0]).toBe(2);
    expect(rows.get('合计')![0]).toBe(3);
    const pdf = await get('reviewer', '/api/reports/statistics?period=2026&unit=140525&format=pdf');
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('refuses a unit outside the caller’s jurisdiction (403) and bad periods (400)', async () => {
    expect(
      (await get('zezhou', '/api/reports/statistics?period=2026-11&unit=140500&format=xlsx'))
        .statusCode,
    ).toBe(403);
    expect(
      (await get('zezhou', '/api/reports/statistics/table?period=2026-11&unit=140581')).statusCode,
    ).toBe(403);
    expect(
      (await get('zezhou', '/api/reports/statistics/table?period=2026-11&unit=140525')).statusCode,
    ).toBe(200);
    expect(
      (await get('zezhou', '/api/reports/statistics/table?period=2026-13&unit=140525')).statusCode,
    ).toBe(400);
  });
});

describe('gengbao report and gengbao dossier on the Jincheng demo', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gengbao-reports-'));
  const env = { GENGBAO_DATA_DIR: dir, GENGBAO_DEMO: 'off' };
  const artifacts = join(process.cwd(), 'test-artifacts');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = async (args: string[]) => {
    const p = gengbao(args, env);
    const code = await p.exited;
    expect(code, p.output()).toBe(0);
    return p.output();
  };

  it('writes the city’s report as xlsx and PDF whose counties and totals are the API’s, and a closed case’s dossier', async () => {
    await run(['demo']);
    // A closed case with a verdict (an illegal one if any) under the demo imagery, found before the commands run.
    let db = await openPglite(join(dir, 'pg'));
    const [closed] = await db.query<{ id: number; code: string }>(
      `SELECT id, code FROM polygons WHERE status = 'closed' AND case_state->'determination' IS NOT NULL
          AND bbox <@ (SELECT bbox FROM imagery ORDER BY id LIMIT 1)
        ORDER BY case_state->'determination'->>'category' = 'illegal' DESC, id LIMIT 1`,
    );
    await db.close();
    expect(closed).toBeTruthy();

    const xlsx = join(dir, 'r.xlsx');
    const pdf = join(dir, 'r.pdf');
    const dossier = join(dir, 'd.pdf');
    await run([
      'report',
      '--period',
      '2026-11',
      '--unit',
      '140500',
      '--format',
      'xlsx',
      '--out',
      xlsx,
    ]);
    await run([
      'report',
      '--period',
      '2026-11',
      '--unit',
      '140500',
      '--format',
      'pdf',
      '--out',
      pdf,
    ]);
    await run(['dossier', '--polygon', closed.code, '--out', dossier]);

    // The API's figures, as the city reviewer sees them.
    db = await openPglite(join(dir, 'pg'));
    await migrate(db);
    const [head] = await db.query<{ seq: number; hash: string }>(
      'SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1',
    );
    const s = await testServer(db, { dataDir: dir });
    let api;
    try {
      const cookie = await s.login('jc.reviewer', DEMO_PASSWORD);
      const res = await s.app.inject({
        method: 'GET',
        url: '/api/reports/statistics/table?period=2026-11&unit=140500',
        headers: { cookie },
      });
      expect(res.statusCode).toBe(200);
      api = res.json();
      const viaApi = await s.app.inject({
        method: 'GET',
        url: `/api/polygons/${closed.id}/dossier.pdf`,
        headers: { cookie },
      });
      expect(viaApi.statusCode).toBe(200);
    } finally {
      await s.close();
      await db.close();
    }

    const { ws, rows } = await readSheet(readFileSync(xlsx));
    expect(ws.getCell('A1').value).toBe('晋城市2026年11月卫片执法图斑统计报表');
    expect(ws.getCell('C6').value).toBe('发现图斑');
    expect([...rows.keys()].sort()).toEqual([...COUNTIES, '合计'].sort());
    const discovery = api.tables[0];
    discovery.columns.forEach((c: { key: string }, i: number) =>
      expect(rows.get('合计')![i], c.key).toBe(discovery.total.values[c.key]),
    );
    for (const r of discovery.rows) expect(rows.get(r.name)![0]).toBe(r.values.found);

    if (!hasPoppler) return;
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    for (const name of ['晋城市', ...COUNTIES]) expect(text).toContain(name);
    mkdirSync(artifacts, { recursive: true });
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '110',
      '-f',
      '1',
      '-l',
      '1',
      pdf,
      join(artifacts, 'demo-report-140500'),
    ]);

    const dtext = execFileSync('pdftotext', ['-layout', dossier, '-'], { encoding: 'utf8' });
    expect(dtext).toContain(closed.code);
    expect(dtext).toContain('结案销号');
    expect(dtext).toContain('套合分析');
    expect(dtext).toContain(head.hash);
    // Both images: the before and after tiles (and the locator is vector).
    const images = execFileSync('pdfimages', ['-list', dossier], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .slice(2);
    expect(images.length).toBeGreaterThanOrEqual(2);
    execFileSync('pdftoppm', ['-png', '-r', '90', dossier, join(artifacts, 'demo-dossier')]);
  }, 300_000);
});
