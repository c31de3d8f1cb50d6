/**
 * The statistical report as a PDF: A4 landscape, each page headed by the title, unit, period
 * and date, each table on its own pages with its header repeated, pages numbered.
 */
import { chinaDate, formatCell } from './format.ts';
import { BOLD, finishPdf, FONT, newPdf, type Pdf } from './pdf-doc.ts';
import { drawTable, type PdfColumn, type PdfRow } from './pdf-table.ts';
import type { ReportTable, StatisticalReport } from './statistics.ts';

const MARGIN = 30;
const NAME_WIDTH = 64;
const FONT_SIZE = 7;

/** Title, unit, period and date at the top of a page; returns the y below them. */
function pageHeading(doc: Pdf, r: StatisticalReport, table: ReportTable): number {
  const x = MARGIN;
  const w = doc.page.width - 2 * MARGIN;
  doc
    .font(BOLD)
    .fontSize(14)
    .fillColor('black')
    .text(r.title, x, MARGIN, { width: w, align: 'center' });
  doc.font(FONT).fontSize(9);
  const info = `填报单位：${r.unit.name}（${r.unit.code}）    统计期间：${r.period.label}（${r.period.code}）    制表日期：${chinaDate(r.generatedAt)}    数量单位：宗    面积单位：亩`;
  doc.text(info, x, doc.y + 4, { width: w, align: 'center' });
  doc
    .font(BOLD)
    .fontSize(10)
    .text(table.title, x, doc.y + 6, { width: w, align: 'left' });
  return doc.y + 4;
}

function tableOf(doc: Pdf, t: ReportTable): { cols: PdfColumn[]; rows: PdfRow[] } {
  const rest = (doc.page.width - 2 * MARGIN - NAME_WIDTH) / t.columns.length;
  const cols: PdfColumn[] = [
    { header: '单位名称', width: NAME_WIDTH, align: 'left' },
    ...t.columns.map((c) => ({
      header: c.label,
      group: c.group,
      width: rest,
      align: 'right' as const,
    })),
  ];
  const line = (name: string, values: Record<string, number | null>, bold = false): PdfRow => ({
    cells: [name, ...t.columns.map((c) => formatCell(values[c.key], c.kind))],
    bold,
  });
  return {
    cols,
    rows: [
      ...t.rows.map((row) => line(row.name, row.values)),
      line(t.total.name, t.total.values, true),
    ],
  };
}

/** The report's PDF bytes. */
export async function statisticalReportPdf(r: StatisticalReport): Promise<Buffer> {
  const doc = newPdf({
    title: r.title,
    layout: 'landscape',
    margin: MARGIN,
    date: new Date(r.generatedAt),
  });
  r.tables.forEach((t, i) => {
    if (i > 0) doc.addPage();
    const { cols, rows } = tableOf(doc, t);
    let y = drawTable(doc, MARGIN, pageHeading(doc, r, t), cols, rows, {
      fontSize: FONT_SIZE,
      pad: 1.5,
      onNewPage: () => pageHeading(doc, r, t),
    });
    if (i === r.tables.length - 1) {
      doc.font(FONT).fontSize(8).fillColor('#333333');
      for (const [k, n] of r.notes.entries()) {
        if (y + 14 > doc.page.height - MARGIN) {
          doc.addPage();
          y = MARGIN;
        }
        doc.text(`注${k + 1}：${n}`, MARGIN, y + 4, { width: doc.page.width - 2 * MARGIN });
        y = doc.y;
      }
    }
  });
  return finishPdf(doc, `耕保 Gengbao · ${r.title}`);
}
