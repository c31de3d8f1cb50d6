/**
 * The statistical report as an Excel workbook a clerk can send on: one sheet per table, each
 * with the title, unit, period and date rows, merged group headers, headers frozen with the
 * unit columns, 0.00 for 亩, 0.0% for rates, and the total row in bold.
 */
import ExcelJS from 'exceljs';
import { chinaDate } from './format.ts';
import type { ReportRow, ReportTable, StatisticalReport } from './statistics.ts';

const FORMATS = { count: '0', mu: '0.00', percent: '0.0%' } as const;
/** Leading columns before the figures: unit name and code. */
const LEAD = 2;
const THIN = { style: 'thin' as const };
const BOX = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const HEADER_FILL = {
  type: 'pattern' as const,
  pattern: 'solid' as const,
  fgColor: { argb: 'FFE8EEF4' },
};

/** A sheet name from the table's title: Excel allows 31 characters and no []:*?/\. */
const sheetName = (t: ReportTable) => t.title.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31);

function writeTable(book: ExcelJS.Workbook, r: StatisticalReport, t: ReportTable): void {
  const width = LEAD + t.columns.length;
  const ws = book.addWorksheet(sheetName(t), {
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
    },
  });
  const line = (row: number, text: string, font: Partial<ExcelJS.Font>) => {
    ws.mergeCells(row, 1, row, width);
    const c = ws.getCell(row, 1);
    c.value = text;
    c.font = font;
    c.alignment = { horizontal: row === 1 ? 'center' : 'left', vertical: 'middle' };
  };
  line(1, r.title, { bold: true, size: 16 });
  ws.getRow(1).height = 28;
  line(2, `填报单位：${r.unit.name}（${r.unit.code}）`, { size: 11 });
  line(3, `统计期间：${r.period.label}（${r.period.code}）`, { size: 11 });
  line(4, `制表日期：${chinaDate(r.generatedAt)}    数量单位：宗    面积单位：亩`, { size: 11 });
  line(5, t.title, { bold: true, size: 12 });

  // Two header rows: groups merged across, ungrouped columns merged down.
  const h1 = 6;
  const h2 = 7;
  const head = (row: number, col: number, text: string) => {
    const c = ws.getCell(row, col);
    c.value = text;
    c.font = { bold: true };
    c.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    c.border = BOX;
    c.fill = HEADER_FILL;
  };
  ws.mergeCells(h1, 1, h2, 1);
  head(h1, 1, '单位名称');
  ws.mergeCells(h1, 2, h2, 2);
  head(h1, 2, '行政区划代码');
  for (let i = 0; i < t.columns.length;) {
    const col = t.columns[i];
    let j = i;
    while (col.group && j + 1 < t.columns.length && t.columns[j + 1].group === col.group) j++;
    const from = LEAD + i + 1;
    const to = LEAD + j + 1;
    if (col.group) {
      if (to > from) ws.mergeCells(h1, from, h1, to);
      head(h1, from, col.group);
      for (let k = i; k <= j; k++) head(h2, LEAD + k + 1, t.columns[k].label);
    } else {
      ws.mergeCells(h1, from, h2, from);
      head(h1, from, col.label);
    }
    i = j + 1;
  }
  ws.getRow(h1).height = 20;
  ws.getRow(h2).height = 30;

  const put = (rowNo: number, row: ReportRow) => {
    const xr = ws.getRow(rowNo);
    xr.getCell(1).value = row.name;
    xr.getCell(2).value = row.kind === 'total' ? '' : (row.code ?? '');
    t.columns.forEach((c, i) => {
      const cell = xr.getCell(LEAD + i + 1);
      cell.value = row.values[c.key];
      cell.numFmt = FORMATS[c.kind];
    });
    for (let k = 1; k <= width; k++) {
      const cell = xr.getCell(k);
      cell.border = BOX;
      if (row.kind === 'total') cell.font = { bold: true };
    }
  };
  t.rows.forEach((row, i) => put(h2 + 1 + i, row));
  const totalRow = h2 + 1 + t.rows.length;
  put(totalRow, t.total);
  r.notes.forEach((n, i) =>
    line(totalRow + 2 + i, `注${i + 1}：${n}`, { size: 9, color: { argb: 'FF555555' } }),
  );

  ws.getColumn(1).width = 16;
  ws.getColumn(2).width = 14;
  t.columns.forEach((c, i) => (ws.getColumn(LEAD + i + 1).width = c.kind === 'count' ? 9 : 11));
  ws.views = [
    {
      state: 'frozen',
      xSplit: LEAD,
      ySplit: h2,
      topLeftCell: `C${h2 + 1}`,
      activeCell: `C${h2 + 1}`,
    },
  ];
}

/** The workbook's bytes. */
export async function statisticalReportXlsx(r: StatisticalReport): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = '耕保 Gengbao';
  book.created = new Date(r.generatedAt);
  book.title = r.title;
  for (const t of r.tables) writeTable(book, r, t);
  return Buffer.from(await book.xlsx.writeBuffer());
}
