/**
 * An enforcement document drawn from its filled template: A4 portrait PDF (pdfkit, Noto Sans
 * SC from npm, like every report) and, for the clerk who must edit it, docx (the `docx`
 * package) with the same title, number and blocks.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { BOLD, bottomOf, finishPdf, FONT, newPdf } from './pdf-doc.ts';
import { fillText, type DocumentTemplate, type TemplateBlock } from './documents-template.ts';

/** A template with every placeholder replaced: what both formats draw. */
export interface FilledDocument {
  title: string;
  number: string;
  blocks: TemplateBlock[];
  issuedAt: string;
  /** Printed small at the foot of each page: the 图斑 and the record it belongs to. */
  footer: string;
}

/** Fills the template's title and blocks with the case's values. */
export function fillTemplate(
  t: DocumentTemplate,
  values: Readonly<Record<string, string>>,
  o: { number: string; issuedAt: string; footer: string },
): FilledDocument {
  const f = (s: string) => fillText(s, values);
  return {
    title: f(t.title),
    number: o.number,
    issuedAt: o.issuedAt,
    footer: o.footer,
    blocks: t.blocks.map((b) =>
      b.type === 'fields'
        ? { ...b, rows: b.rows.map((r) => ({ label: f(r.label), value: f(r.value) })) }
        : { ...b, text: f(b.text) },
    ),
  };
}

/** The document as A4 portrait PDF. */
export async function documentPdf(d: FilledDocument): Promise<Buffer> {
  const doc = newPdf({
    title: `${d.title} ${d.number}`,
    layout: 'portrait',
    margin: 64,
    date: new Date(d.issuedAt),
  });
  const M = doc.page.margins.left;
  const W = doc.page.width - 2 * M;
  doc.font(BOLD).fontSize(20).text(d.title, M, M, { width: W, align: 'center' });
  doc.moveDown(0.4).font(FONT).fontSize(11).text(d.number, { width: W, align: 'center' });
  doc.moveDown(1);
  for (const b of d.blocks) {
    if (b.type === 'heading')
      doc.font(BOLD).fontSize(12).text(b.text, M, doc.y, { width: W }).moveDown(0.3);
    else if (b.type === 'paragraph')
      doc
        .font(FONT)
        .fontSize(12)
        .text(b.text, M, doc.y, { width: W, indent: 24, lineGap: 5 })
        .moveDown(0.5);
    else if (b.type === 'signature') {
      doc.moveDown(1.5);
      doc.font(FONT).fontSize(12).text(b.text, M, doc.y, { width: W, align: 'right', lineGap: 6 });
    } else fieldsTable(doc, M, W, b.rows);
  }
  return finishPdf(doc, d.footer);
}

/** A ruled label / value table (审批表) that breaks across pages between rows. */
function fieldsTable(
  doc: PDFKit.PDFDocument,
  x: number,
  w: number,
  rows: { label: string; value: string }[],
): void {
  const lw = 96;
  const pad = 6;
  let y = doc.y;
  for (const r of rows) {
    doc.font(FONT).fontSize(11);
    const h = Math.max(
      30,
      doc.heightOfString(r.value || ' ', { width: w - lw - 2 * pad }) + 2 * pad,
      doc.heightOfString(r.label, { width: lw - 2 * pad }) + 2 * pad,
    );
    if (y + h > bottomOf(doc)) {
      doc.addPage();
      y = doc.page.margins.top;
    }
    doc
      .lineWidth(0.6)
      .rect(x, y, lw, h)
      .rect(x + lw, y, w - lw, h)
      .stroke();
    doc.font(BOLD).text(r.label, x + pad, y + pad, { width: lw - 2 * pad });
    doc.font(FONT).text(r.value, x + lw + pad, y + pad, { width: w - lw - 2 * pad });
    y += h;
  }
  doc.x = x;
  doc.y = y + 8;
}

const FONT_DOCX = { eastAsia: '仿宋', ascii: 'Times New Roman', hAnsi: 'Times New Roman' };
const run = (text: string, o: { bold?: boolean; size?: number } = {}) =>
  text.split('\n').map(
    (line, i) =>
      new TextRun({
        text: line,
        break: i ? 1 : 0,
        bold: o.bold,
        size: o.size ?? 28,
        font: FONT_DOCX,
      }),
  );
const line = { style: BorderStyle.SINGLE, size: 4, color: '000000' };

/** The document as docx, to edit in Word or WPS. */
export async function documentDocx(d: FilledDocument): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: run(d.title, { bold: true, size: 40 }),
    }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 240 },
      children: run(d.number),
    }),
  ];
  for (const b of d.blocks) {
    if (b.type === 'heading')
      children.push(new Paragraph({ children: run(b.text, { bold: true }) }));
    else if (b.type === 'paragraph')
      children.push(
        new Paragraph({
          indent: { firstLine: 560 },
          spacing: { line: 480 },
          children: run(b.text),
        }),
      );
    else if (b.type === 'signature')
      children.push(
        new Paragraph({
          alignment: AlignmentType.RIGHT,
          spacing: { before: 480 },
          children: run(b.text),
        }),
      );
    else
      children.push(
        new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          borders: {
            top: line,
            bottom: line,
            left: line,
            right: line,
            insideHorizontal: line,
            insideVertical: line,
          },
          rows: b.rows.map(
            (r) =>
              new TableRow({
                children: [
                  new TableCell({
                    width: { size: 22, type: WidthType.PERCENTAGE },
                    children: [new Paragraph({ children: run(r.label, { bold: true, size: 24 }) })],
                  }),
                  new TableCell({
                    width: { size: 78, type: WidthType.PERCENTAGE },
                    children: [new Paragraph({ children: run(r.value, { size: 24 }) })],
                  }),
                ],
              }),
          ),
        }),
      );
  }
  const doc = new Document({
    creator: '耕保 Gengbao',
    title: `${d.title} ${d.number}`,
    sections: [
      {
        properties: { page: { margin: { top: 1440, bottom: 1440, left: 1584, right: 1440 } } },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
