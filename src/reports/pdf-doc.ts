/**
 * A4 PDF documents with Chinese text (pdfkit): the font is Noto Sans SC from the npm package
 * @expo-google-fonts/noto-sans-sc — TrueType outlines that pdfkit subsets to the glyphs a
 * document uses (a report is tens of kB, not the font's 10 MB) — so a machine with no system
 * CJK font renders the same document. Pages are buffered, so the footer can say "第 n 页 共 N 页".
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

export type Pdf = PDFKit.PDFDocument;

const require = createRequire(import.meta.url);
const FONT_FILES = {
  regular: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
} as const;

/** The font files, read once per process (fontkit parses them lazily). */
let fonts: { regular: Buffer; bold: Buffer } | undefined;
function fontBytes() {
  fonts ??= {
    regular: readFileSync(require.resolve(FONT_FILES.regular)),
    bold: readFileSync(require.resolve(FONT_FILES.bold)),
  };
  return fonts;
}

/** The two faces every document registers. */
export const FONT = 'cjk';
export const BOLD = 'cjk-bold';

export interface DocOptions {
  title: string;
  layout: 'landscape' | 'portrait';
  margin?: number;
  /** The document's date (its metadata), so the same report reads back the same. */
  date: Date;
}

/** A new buffered A4 document with the CJK faces registered and selected. */
export function newPdf(o: DocOptions): Pdf {
  const doc = new PDFDocument({
    size: 'A4',
    layout: o.layout,
    margin: o.margin ?? 36,
    bufferPages: true,
    autoFirstPage: true,
    info: {
      Title: o.title,
      Creator: '耕保 Gengbao',
      Producer: '耕保 Gengbao (pdfkit)',
      CreationDate: o.date,
      ModDate: o.date,
    },
  });
  const f = fontBytes();
  doc.registerFont(FONT, f.regular);
  doc.registerFont(BOLD, f.bold);
  doc.font(FONT);
  return doc;
}

/** The lowest y content may reach (footers live below it). */
export const bottomOf = (doc: Pdf) => doc.page.height - doc.page.margins.bottom;

/**
 * Writes text outside the content area (footers) without pdfkit starting a new page, which it
 * does for any text that reaches below the bottom margin.
 */
export function textOutside(
  doc: Pdf,
  text: string,
  x: number,
  y: number,
  opts: PDFKit.Mixins.TextOptions,
): void {
  const bottom = doc.page.margins.bottom;
  doc.page.margins.bottom = 0;
  doc.text(text, x, y, { ...opts, lineBreak: false });
  doc.page.margins.bottom = bottom;
}

/**
 * Numbers every page (第 n 页 共 N 页, with `left` at the left of the footer), ends the
 * document and returns its bytes.
 */
export function finishPdf(doc: Pdf, left: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const y = doc.page.height - doc.page.margins.bottom + 12;
    const x = doc.page.margins.left;
    const w = doc.page.width - doc.page.margins.left - doc.page.margins.right;
    doc.font(FONT).fontSize(8).fillColor('#555555');
    textOutside(doc, left, x, y, { width: w, align: 'left' });
    textOutside(doc, `第 ${i + 1} 页 共 ${range.count} 页`, x, y, { width: w, align: 'center' });
  }
  doc.fillColor('black');
  doc.end();
  return done;
}
