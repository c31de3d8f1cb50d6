/**
 * A ruled table in a PDF that runs across pages: when the next row does not fit, a new page
 * is started (the caller draws its page heading) and the header rows are drawn again.
 */
import { BOLD, bottomOf, FONT, type Pdf } from './pdf-doc.ts';

export interface PdfColumn {
  header: string;
  /** An upper header merged over consecutive columns that share it. */
  group?: string;
  width: number;
  align?: 'left' | 'right' | 'center';
}

export interface PdfRow {
  cells: string[];
  bold?: boolean;
}

export interface PdfTableOptions {
  fontSize: number;
  /** Called after each page break the table makes; returns the y to continue at. */
  onNewPage: () => number;
  /** Cell padding in points. */
  pad?: number;
}

/** Runs of consecutive columns: a group's columns together, an ungrouped column alone. */
function spans(cols: readonly PdfColumn[]): { from: number; to: number; group?: string }[] {
  const out: { from: number; to: number; group?: string }[] = [];
  for (let i = 0; i < cols.length;) {
    let j = i;
    while (cols[i].group && j + 1 < cols.length && cols[j + 1].group === cols[i].group) j++;
    out.push({ from: i, to: j, group: cols[i].group });
    i = j + 1;
  }
  return out;
}

/**
 * Draws `rows` under the header at (x, y) and returns the y below the table.
 */
export function drawTable(
  doc: Pdf,
  x: number,
  y: number,
  cols: readonly PdfColumn[],
  rows: readonly PdfRow[],
  o: PdfTableOptions,
): number {
  const pad = o.pad ?? 2.5;
  const left = cols.map((_, i) => x + cols.slice(0, i).reduce((s, c) => s + c.width, 0));
  const tableWidth = cols.reduce((s, c) => s + c.width, 0);
  const grouped = cols.some((c) => c.group);
  const runs = spans(cols);

  const textHeight = (text: string, width: number, bold = false) => {
    doc.font(bold ? BOLD : FONT).fontSize(o.fontSize);
    return doc.heightOfString(text, { width: width - 2 * pad });
  };
  const cell = (
    text: string,
    cx: number,
    cy: number,
    w: number,
    h: number,
    opts: { bold?: boolean; align?: 'left' | 'right' | 'center'; fill?: string },
  ) => {
    if (opts.fill) doc.rect(cx, cy, w, h).fill(opts.fill);
    doc.lineWidth(0.5).strokeColor('#444444').rect(cx, cy, w, h).stroke();
    doc
      .font(opts.bold ? BOLD : FONT)
      .fontSize(o.fontSize)
      .fillColor('black');
    const th = doc.heightOfString(text, { width: w - 2 * pad });
    doc.text(text, cx + pad, cy + Math.max(pad, (h - th) / 2), {
      width: w - 2 * pad,
      align: opts.align ?? 'center',
      lineBreak: true,
    });
  };

  const groupH = grouped
    ? Math.max(
        ...runs
          .filter((r) => r.group)
          .map((r) => textHeight(r.group!, left[r.to] + cols[r.to].width - left[r.from], true)),
      ) +
      2 * pad
    : 0;
  const labelH = Math.max(...cols.map((c) => textHeight(c.header, c.width, true))) + 2 * pad;
  const header = (top: number): number => {
    for (const r of runs) {
      const w = left[r.to] + cols[r.to].width - left[r.from];
      if (r.group) {
        cell(r.group, left[r.from], top, w, groupH, { bold: true, fill: '#E8EEF4' });
        for (let k = r.from; k <= r.to; k++)
          cell(cols[k].header, left[k], top + groupH, cols[k].width, labelH, {
            bold: true,
            fill: '#E8EEF4',
          });
      } else
        cell(cols[r.from].header, left[r.from], top, w, groupH + labelH, {
          bold: true,
          fill: '#E8EEF4',
        });
    }
    return top + groupH + labelH;
  };

  let cy = header(y);
  for (const row of rows) {
    const h =
      Math.max(...row.cells.map((t, i) => textHeight(t, cols[i].width, row.bold))) + 2 * pad;
    if (cy + h > bottomOf(doc)) {
      doc.addPage();
      cy = header(o.onNewPage());
    }
    row.cells.forEach((t, i) =>
      cell(t, left[i], cy, cols[i].width, h, { bold: row.bold, align: cols[i].align ?? 'right' }),
    );
    cy += h;
  }
  doc
    .lineWidth(1)
    .strokeColor('black')
    .moveTo(x, cy)
    .lineTo(x + tableWidth, cy)
    .stroke();
  return cy;
}
