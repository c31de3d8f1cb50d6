import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFeatures } from '../src/geo/formats/write.ts';
import { polygonExportFeatures } from '../src/services/exports.ts';
import { seedFixtureRegion, testServer, type TestServer } from '../src/server/testing.ts';
import { Scope } from '../src/store/scope.ts';
import { testBackends } from '../src/store/testing.ts';

const hasOgr = spawnSync('ogrinfo', ['--version']).status === 0;
if (!hasOgr)
  console.warn(
    'export test: ogrinfo (Debian gdal-bin) not found, the GDAL read-back is not run; .ci/run installs it',
  );

describe.each(testBackends())('exports of stored 图斑 on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  let s: TestServer;
  const dir = mkdtempSync(join(tmpdir(), 'gengbao-export-db-'));

  beforeAll(async () => {
    db = await backend.open();
    await seedFixtureRegion(db);
    await db.query(
      `UPDATE polygons SET properties = properties || '{"jur_name":"南村","flags":"未批,占耕,未批占耕","farm_mu":2.5}'::jsonb WHERE code = 'P-NANCUN'`,
    );
    s = await testServer(db);
  });
  afterAll(async () => {
    await s?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!hasOgr)(
    'writes a GBK Shapefile that GDAL reads back with the same figures and Chinese text',
    async () => {
      const shp = join(dir, 'tuban.shp');
      await writeFeatures(shp, polygonExportFeatures(db, Scope.system(), { period: '2026-11' }));
      const info = execFileSync('ogrinfo', ['-al', '-q', shp], { encoding: 'utf8' });
      expect((info.match(/OGRFeature/g) ?? []).length).toBe(3);
      expect(info).toContain('jur_name (String) = 南村');
      expect(info).toContain('flags (String) = 未批,占耕,未批占耕');
      expect(info).toMatch(/farm_mu \(Real\) = 2\.5/);
      expect(info).toContain('code (String) = P-NANCUN');
    },
  );

  it('downloads an xlsx of exactly the caller’s 图斑', async () => {
    const cookie = await s.login('village');
    const res = await s.app.inject({
      method: 'GET',
      url: '/api/exports/polygons?format=xlsx&period=2026-11',
      headers: { cookie },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(
      /attachment; filename="tuban-2026-11-140525100200\.xlsx"/,
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const codeCol = header.indexOf('code') + 1;
    const codes = [];
    for (let r = 2; r <= sheet.rowCount; r++) codes.push(sheet.getRow(r).getCell(codeCol).value);
    expect(codes).toEqual(['P-NANCUN']);
    expect(header).toContain('jur_name');
  });
});
