import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { statisticalReportPdf } from './statistics-pdf.ts';
import { report } from './test-report.ts';
import { statisticalReportXlsx } from './xlsx.ts';

const hasPoppler = spawnSync('pdftotext', ['-v']).status === 0;
if (!hasPoppler)
  console.warn(
    'reports: pdftotext (Debian poppler-utils) not found, the PDF read-back is not run; .ci/run installs it',
  );

describe('the statistical report as files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gengbao-report-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a workbook with merged Chinese headers, frozen panes, number formats and the figures', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await statisticalReportXlsx(report)) as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual([
      '表一 图斑发现与核查判定情况',
      '表二 制止查处与整改情况',
    ]);
    const ws = book.worksheets[0];
    expect(ws.getCell('A1').value).toBe('晋城市2026年11月卫片执法图斑统计报表');
    expect(ws.getCell('A2').value).toBe('填报单位：晋城市（140500）');
    expect(ws.getCell('A6').value).toBe('单位名称');
    expect(ws.getCell('C6').value).toBe('发现图斑');
    // The group header is one merged cell over its columns.
    expect(ws.getCell('D6').master.address).toBe('C6');
    expect(ws.getCell('D7').value).toBe('面积');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', xSplit: 2, ySplit: 7 });
    const names = [8, 9, 10, 11, 12].map((r) => ws.getCell(r, 1).value);
    expect(names).toEqual(['泽州县', '高平市', '城区', '未落到县', '合计']);
    expect(ws.getCell(8, 2).value).toBe('140525');
    expect(ws.getCell(12, 3).value).toBe(7);
    expect(ws.getCell(12, 4).numFmt).toBe('0.00');
    const rate = book.worksheets[1];
    const rateCol = report.tables[1].columns.findIndex((c) => c.key === 'rectificationRate') + 3;
    expect(rate.getCell(12, rateCol).numFmt).toBe('0.0%');
  });

  it.skipIf(!hasPoppler)(
    'writes an A4 landscape PDF whose text is the Chinese table, pages numbered',
    async () => {
      const pdf = await statisticalReportPdf(report);
      const file = join(dir, 'report.pdf');
      writeFileSync(file, pdf);
      const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
      expect(info).toMatch(/Page size:\s+841\.89 x 595\.28/);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      for (const s of [
        '晋城市2026年11月卫片执法图斑统计报表',
        '泽州县',
        '高平市',
        '城区',
        '未落到县',
        '合计',
        '违法中新增与存量',
        '表二 制止查处与整改情况',
      ])
        expect(text).toContain(s);
      expect(text).toMatch(/第\s*1\s*页\s*共\s*2\s*页/);
      expect(text).toMatch(/第\s*2\s*页\s*共\s*2\s*页/);
      expect(text).toMatch(/泽州县\s+4\s+9\.64/);
      // A page as a reader sees it, for a look (no missing-glyph boxes): test-artifacts/.
      const out = join(process.cwd(), 'test-artifacts');
      mkdirSync(out, { recursive: true });
      execFileSync('pdftoppm', [
        '-png',
        '-r',
        '110',
        '-f',
        '1',
        '-l',
        '1',
        file,
        join(out, 'statistical-report'),
      ]);
      expect(pdf.length).toBeLessThan(300_000);
    },
  );
});
