import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCalls, seedFixtureRegion, testServer, type TestServer } from '../src/server/testing.ts';
import { testBackends } from '../src/store/testing.ts';

/*
 * Exchange with the province on both back-ends: the 图斑 out in the province's fields as a
 * zipped Shapefile that GDAL opens with its Chinese values (GBK DBF with .cpg) and as a
 * GeoPackage; the province's results back in, row by row (matched, refused and why, what
 * differs from the record); the mapping edited by the province only, recorded.
 */
const hasGdal = spawnSync('ogrinfo', ['--version']).status === 0;
if (!hasGdal)
  console.warn(
    'exchange: ogrinfo (GDAL) not found, the GDAL read-backs are not run; .ci/run installs it',
  );
const H = '0123456789abcdef'.repeat(4);
const photo = (i: number, at: string) => ({
  sha256: H.slice(i) + H.slice(0, i),
  lon: 112.011,
  lat: 35.011,
  takenAt: at,
});

describe.each(testBackends())('exchange with the province on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  let s: TestServer;
  const dir = mkdtempSync(join(tmpdir(), 'gengbao-exchange-'));
  const clock = new Date('2026-11-20T02:00:00.000Z');
  const cookies: Record<string, string> = {};
  let id = 0;

  const calls = apiCalls(() => s, cookies);
  const inject = calls.inject;
  const act = (user: string, action: string, input: Record<string, unknown>) =>
    calls.act(user, id, action, input);

  beforeAll(async () => {
    db = await backend.open();
    await seedFixtureRegion(db);
    s = await testServer(db, { now: () => clock, dataDir: dir });
    for (const u of ['province', 'reviewer', 'zezhou', 'village']) cookies[u] = await s.login(u);
    const list = await inject('province', 'GET', '/api/polygons');
    id = list.json().items.find((p: { code: string }) => p.code === 'P-NANCUN').id;
    const at = clock.toISOString();
    await act('province', 'analyse', {
      totalMu: 6.5,
      layerMu: { farmland: 5.25, pbf: 1.5 },
      preJudgment: { approval: 'unapproved', onFarmland: true, onPermanentBasicFarmland: true },
    });
    await inject('province', 'POST', '/api/dispatch', { period: '2026-11' });
    await act('village', 'verify', {
      photos: [photo(1, at), photo(2, at)],
      description: '新建房屋',
      visitedAt: at,
    });
    await act('zezhou', 'determine', {
      category: 'illegal',
      illegalSubtype: 'new',
      buildYear: 2026,
    });
    await act('reviewer', 'accept', {});
  });
  afterAll(async () => {
    await s?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exports the province’s fields as a GBK Shapefile GDAL reads in Chinese, and a GeoPackage', async () => {
    const res = await inject('reviewer', 'GET', '/api/exchange/polygons?format=shp&period=2026-11');
    expect(res.statusCode).toBe(200);
    const zip = join(dir, 'out.zip');
    writeFileSync(zip, res.rawPayload);
    const out = join(dir, 'shp');
    execFileSync('unzip', ['-o', '-q', zip, '-d', out]);
    const files = readdirSync(out).sort();
    expect(files.map((f) => f.split('.').pop())).toEqual(['cpg', 'dbf', 'prj', 'shp', 'shx']);
    expect(readFileSync(join(out, files[0]), 'utf8').trim().toUpperCase()).toBe('GBK');
    if (!hasGdal) return;
    const info = execFileSync('ogrinfo', [
      '-ro',
      '-al',
      join(
        out,
        files.find((f) => f.endsWith('.shp'))!,
      ),
    ]).toString('utf8');
    expect(info).toContain('Feature Count: 3');
    for (const t of [
      'TBBH (String) = P-NANCUN',
      'XMC (String) = 泽州县',
      'XZMC (String) = 南村镇',
      'CMC (String) = 南村',
      'PDLX (String) = 2',
      'WFLX (String) = 1',
      'SFLA (String) = 否',
      'TBLY (String) = 卫片',
      'XMC (String) = 高平市',
      'GDMJ (Real) = 5.25',
    ])
      expect(info).toContain(t);
    // The county officer's export holds only the county's 图斑.
    const gpkg = await inject('zezhou', 'GET', '/api/exchange/polygons?format=gpkg');
    writeFileSync(join(dir, 'z.gpkg'), gpkg.rawPayload);
    const g = execFileSync('ogrinfo', ['-ro', '-al', join(dir, 'z.gpkg')]).toString('utf8');
    expect(g).toContain('Feature Count: 2');
    expect(g).toContain('XMC (String) = 泽州县');
    expect(g).not.toContain('高平市');
  });

  it('imports the province’s results through the mapping, reporting each row', async () => {
    // The exported Shapefile, back as it is: every row matched, nothing differs.
    const again = await inject('reviewer', 'POST', '/api/exchange/import', {
      name: 'results.zip',
      contentBase64: readFileSync(join(dir, 'out.zip')).toString('base64'),
    });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ rows: 3, matched: 3, refused: 0, differing: 0 });

    // A province's workbook: a verdict that differs, an unknown code, rows that cannot match.
    const book = new ExcelJS.Workbook();
    const ws = book.addWorksheet('结果');
    ws.addRow(['TBBH', 'PDLX', 'SFLA', 'WFLX', 'BZ']);
    ws.addRow(['P-NANCUN', '3', '否', '9', '省级复核认定为其他']);
    ws.addRow(['P-GAOPING', '2', '否', '1', '']);
    ws.addRow(['P-NONE', '2', '是', '1', '']);
    ws.addRow(['', '2', '是', '1', '']);
    const bytes = Buffer.from(await book.xlsx.writeBuffer());
    const res = await inject('zezhou', 'POST', '/api/exchange/import', {
      name: '省级结果.xlsx',
      contentBase64: bytes.toString('base64'),
    });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r).toMatchObject({ rows: 4, matched: 1, refused: 3, differing: 1 });
    expect(r.items[0]).toMatchObject({
      row: 1,
      code: 'P-NANCUN',
      outcome: 'matched',
      values: { verdict: 'other', filed: false },
      differs: [{ source: 'verdict', province: 'other', gengbao: 'illegal' }],
      refusedFields: [{ field: 'WFLX', value: '9' }],
    });
    expect(r.items[1]).toMatchObject({ code: 'P-GAOPING', outcome: 'refused' });
    expect(r.items[1].reason).toContain('辖区');
    expect(r.items[2]).toMatchObject({ code: 'P-NONE', outcome: 'refused' });
    expect(r.items[3]).toMatchObject({ row: 4, code: null, outcome: 'refused' });
    const page = await inject('zezhou', 'GET', `/api/polygons/${id}`);
    expect(JSON.stringify(page.json())).toContain('provinceResult');
    const events = await db.query<{ type: string; payload: { matched: number } }>(
      `SELECT type, payload FROM events WHERE entity_type = 'exchange_import' ORDER BY seq`,
    );
    expect(events.map((e) => [e.type, e.payload.matched])).toEqual([
      ['exchange.imported', 3],
      ['exchange.imported', 1],
    ]);
    // A village chief does not import.
    cookies.village = await s.login('village');
    expect(
      (
        await inject('village', 'POST', '/api/exchange/import', {
          name: 'x.xlsx',
          contentBase64: bytes.toString('base64'),
        })
      ).statusCode,
    ).toBe(403);
  });

  it('lets the province change its mapping — checked and recorded — and uses it', async () => {
    const m = (await inject('zezhou', 'GET', '/api/exchange/mapping')).json();
    expect(m).toMatchObject({ province: '14', source: 'default' });
    const mapping = {
      fields: [
        ...m.mapping.fields.filter((f: { name: string }) => f.name !== 'PDLX'),
        {
          name: 'PDJG',
          label: '判定结果',
          source: 'verdict',
          type: 'string',
          codes: { lawful: '合法', illegal: '违法', other: '其他' },
        },
      ],
    };
    expect((await inject('zezhou', 'PUT', '/api/exchange/mapping', mapping)).statusCode).toBe(403);
    expect(
      (
        await inject('province', 'PUT', '/api/exchange/mapping', {
          fields: [{ name: 'X', label: 'x', source: 'period', type: 'string' }],
        })
      ).statusCode,
    ).toBe(400);
    const ok = await inject('province', 'PUT', '/api/exchange/mapping', mapping);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().source).toBe('province');
    const x = await inject('zezhou', 'GET', '/api/exchange/polygons?format=xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const ws = book.worksheets[0];
    const header = (ws.getRow(1).values as string[]).slice(1);
    expect(header).toContain('PDJG');
    expect(header).not.toContain('PDLX');
    const col = header.indexOf('PDJG') + 1;
    const codeCol = header.indexOf('TBBH') + 1;
    const nancun = [2, 3].find((r) => ws.getCell(r, codeCol).value === 'P-NANCUN')!;
    expect(ws.getCell(nancun, col).value).toBe('违法');
    const ev = await db.query<{ type: string }>(
      `SELECT type FROM events WHERE entity_type = 'exchange_mapping'`,
    );
    expect(ev.map((e) => e.type)).toEqual(['exchange_mapping.updated']);
  });
});
