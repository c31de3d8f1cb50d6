/**
 * The 图斑 dossier as an A4 portrait PDF: facts and place, before/after imagery with the
 * outline and a locator drawing, overlay figures and flags, verdict and decisions, field
 * photos with their checks, and the record's steps with their hashes and the chain head.
 */
import type { Areal, Position } from '../geo/types.ts';
import {
  decisionLines,
  figureLines,
  flagsOf,
  sourceLabel,
  STATUS_LABELS,
  type DossierData,
  type DossierImage,
} from './dossier.ts';
import { chinaDate, chinaDateTime } from './format.ts';
import { BOLD, bottomOf, finishPdf, FONT, newPdf, type Pdf } from './pdf-doc.ts';
import { drawTable, type PdfColumn, type PdfRow } from './pdf-table.ts';

const M = 40;
const OUTLINE = '#FFD400';
const LEVEL_NAMES: Record<string, string> = {
  province: '省',
  city: '市',
  county: '县',
  township: '乡镇',
  village: '村',
};
const CHECKS = { ok: '原件一致', missing: '原件不在本机', mismatch: '哈希不符' } as const;

const rings = (g: Areal): Position[][] =>
  g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();

/** A box in page points and a projection of lon/lat into it. */
interface Frame {
  x: number;
  y: number;
  w: number;
  h: number;
}

function path(doc: Pdf, g: Areal, project: (p: Position) => [number, number]): void {
  for (const ring of rings(g)) {
    ring.forEach((p, i) => {
      const [x, y] = project(p);
      if (i === 0) doc.moveTo(x, y);
      else doc.lineTo(x, y);
    });
    doc.closePath();
  }
}

/** Web Mercator pixel of a lon/lat at zoom z (the XYZ scheme imagery tiles use). */
const mercator = (p: Position, z: number): [number, number] => {
  const n = 256 * 2 ** z;
  const lat = (p[1] * Math.PI) / 180;
  return [((p[0] + 180) / 360) * n, ((1 - Math.asinh(Math.tan(lat)) / Math.PI) / 2) * n];
};

/** A before/after image in its frame: a chip as it is, tiles cropped round the 图斑 with the outline drawn. */
function drawImage(doc: Pdf, img: DossierImage | null, g: Areal, f: Frame, caption: string): void {
  doc.save();
  doc.rect(f.x, f.y, f.w, f.h).fillAndStroke('#F2F2F2', '#888888');
  doc.restore();
  if (img?.kind === 'chip')
    doc.image(img.png, f.x + 1, f.y + 1, {
      fit: [f.w - 2, f.h - 2],
      align: 'center',
      valign: 'center',
    });
  else if (img?.kind === 'tiles' && img.tiles.length) {
    const z = img.tiles[0].z;
    const px = rings(g)
      .flat()
      .map((p) => mercator(p, z));
    const xs = px.map((p) => p[0]);
    const ys = px.map((p) => p[1]);
    const cx = (Math.min(...xs) + Math.max(...xs)) / 2;
    const cy = (Math.min(...ys) + Math.max(...ys)) / 2;
    // The 图斑 with as much again around it, at least 96 pixels a side, in one scale.
    const side = Math.max(
      96,
      2 * (Math.max(...xs) - Math.min(...xs)),
      2 * (Math.max(...ys) - Math.min(...ys)),
    );
    const k = Math.min(f.w, f.h) / side;
    const to = (x: number, y: number): [number, number] => [
      f.x + f.w / 2 + (x - cx) * k,
      f.y + f.h / 2 + (y - cy) * k,
    ];
    doc.save();
    doc.rect(f.x, f.y, f.w, f.h).clip();
    for (const t of img.tiles) {
      const [tx, ty] = to(t.x * 256, t.y * 256);
      doc.image(t.png, tx, ty, { width: 256 * k, height: 256 * k });
    }
    path(doc, g, (p) => to(...mercator(p, z)));
    doc.lineWidth(1.5).strokeColor(OUTLINE).stroke();
    doc.restore();
  } else {
    doc
      .font(FONT)
      .fontSize(9)
      .fillColor('#666666')
      .text('无影像', f.x, f.y + f.h / 2 - 6, { width: f.w, align: 'center' });
  }
  doc
    .font(FONT)
    .fontSize(7)
    .fillColor('black')
    .text(img ? `${caption} ${img.label}` : caption, f.x, f.y + f.h + 3, {
      width: f.w,
      align: 'center',
    });
}

/** The 图斑 (red) inside its village's outline, north up, in an equirectangular drawing. */
function drawLocator(doc: Pdf, d: DossierData, f: Frame): void {
  doc.save();
  doc.rect(f.x, f.y, f.w, f.h).fillAndStroke('#FFFFFF', '#888888');
  doc.restore();
  const area = d.locator?.geometry ?? d.geometry;
  const pts = rings(area).flat();
  const lat0 = (pts.reduce((s, p) => s + p[1], 0) / pts.length) * (Math.PI / 180);
  const xy = (p: Position): [number, number] => [p[0] * Math.cos(lat0), p[1]];
  const all = pts.map(xy);
  const [x0, x1] = [Math.min(...all.map((p) => p[0])), Math.max(...all.map((p) => p[0]))];
  const [y0, y1] = [Math.min(...all.map((p) => p[1])), Math.max(...all.map((p) => p[1]))];
  const k = Math.min((f.w - 16) / (x1 - x0 || 1e-6), (f.h - 16) / (y1 - y0 || 1e-6));
  const to = (p: Position): [number, number] => {
    const [x, y] = xy(p);
    return [f.x + f.w / 2 + (x - (x0 + x1) / 2) * k, f.y + f.h / 2 - (y - (y0 + y1) / 2) * k];
  };
  doc.save();
  if (d.locator) {
    path(doc, d.locator.geometry, to);
    doc.lineWidth(0.8).fillAndStroke('#EEF3E6', '#557A2E');
  }
  path(doc, d.geometry, to);
  doc.fillAndStroke('#D62728', '#D62728');
  // A ring round the 图斑, which is often a speck at the village's scale.
  const c = to(rings(d.geometry)[0][0]);
  doc.lineWidth(1).circle(c[0], c[1], 7).stroke('#D62728');
  doc.restore();
  doc
    .font(FONT)
    .fontSize(8)
    .fillColor('black')
    .text(`位置示意：${d.locator?.name ?? '图斑'}（北向上）`, f.x, f.y + f.h + 3, {
      width: f.w,
      align: 'center',
    });
}

function heading(doc: Pdf, text: string, y: number): number {
  if (y + 40 > bottomOf(doc)) {
    doc.addPage();
    y = M;
  }
  doc
    .font(BOLD)
    .fontSize(12)
    .fillColor('black')
    .text(text, M, y + 8);
  const below = doc.y + 2;
  doc
    .lineWidth(0.8)
    .strokeColor('#333333')
    .moveTo(M, below)
    .lineTo(doc.page.width - M, below)
    .stroke();
  return below + 6;
}

const table = (doc: Pdf, y: number, cols: PdfColumn[], rows: PdfRow[], fontSize = 8) =>
  drawTable(doc, M, y, cols, rows, { fontSize, onNewPage: () => M });

/** The dossier's PDF bytes. */
export async function dossierPdf(d: DossierData): Promise<Buffer> {
  const title = `图斑档案 ${d.code}`;
  const doc = newPdf({ title, layout: 'portrait', margin: M, date: new Date(d.generatedAt) });
  const W = doc.page.width - 2 * M;
  doc.font(BOLD).fontSize(18).text('图斑档案', M, M, { width: W, align: 'center' });
  doc
    .font(FONT)
    .fontSize(9)
    .fillColor('#444444')
    .text(`图斑编号 ${d.code}    生成日期 ${chinaDate(d.generatedAt)}`, {
      width: W,
      align: 'center',
    });
  doc.fillColor('black');

  const place = [...d.places]
    .reverse()
    .map((p) => `${p.name}`)
    .join(' / ');
  const kv = (label: string, text: string): PdfRow => ({ cells: [label, text] });
  const kvCols: PdfColumn[] = [
    { header: '项目', width: 90, align: 'left' },
    { header: '内容', width: W - 90, align: 'left' },
  ];
  let y = heading(doc, '一、基本情况', doc.y + 4);
  const village = d.places.find((p) => p.level === 'village');
  y = table(doc, y, kvCols, [
    kv('图斑编号', d.code),
    kv('所在位置', `${place}${village ? `（${village.code}）` : ''}`),
    ...d.places
      .filter((p) => ['county', 'township', 'village'].includes(p.level))
      .reverse()
      .map((p) => kv(`所在${LEVEL_NAMES[p.level]}`, `${p.name}（${p.code}）`)),
    kv('来源', sourceLabel(d.source)),
    kv('监测期', d.period),
    kv('发现时间', d.state ? chinaDateTime(d.state.found.at) : ''),
    kv('当前状态', STATUS_LABELS[d.status] ?? d.status),
    kv('图斑面积', `${d.areaMu.toFixed(2)} 亩`),
  ]);

  y = heading(doc, '二、前后时相影像与位置', y);
  const side = (W - 20) / 3;
  drawImage(doc, d.before, d.geometry, { x: M, y, w: side, h: side }, '前时相');
  drawImage(doc, d.after, d.geometry, { x: M + side + 10, y, w: side, h: side }, '后时相');
  drawLocator(doc, d, { x: M + 2 * (side + 10), y, w: side, h: side });
  y += side + 16;

  y = heading(doc, '三、套合分析（面积单位：亩）', y);
  y = table(
    doc,
    y,
    [
      { header: '项目', width: W - 120, align: 'left' },
      { header: '面积（亩）', width: 120, align: 'right' },
    ],
    figureLines(d).map((f) => ({ cells: [f.label, f.mu.toFixed(2)] })),
  );
  const flags = flagsOf(d);
  doc
    .font(FONT)
    .fontSize(9)
    .text(`预判标识：${flags.length ? flags.join('、') : '无'}`, M, y + 4, { width: W });
  y = doc.y;

  y = heading(doc, '四、判定与处理', y);
  const lines = decisionLines(d.state);
  y = lines.length
    ? table(
        doc,
        y,
        kvCols,
        lines.map((l) => kv(l.label, l.text)),
      )
    : (doc.font(FONT).fontSize(9).text('尚未判定。', M, y), doc.y);

  y = heading(doc, '五、现场照片', y);
  if (d.photos.length)
    y = table(
      doc,
      y,
      [
        { header: '环节', width: 42, align: 'left' },
        { header: '拍摄时间', width: 78, align: 'left' },
        { header: '经纬度', width: 82, align: 'left' },
        { header: '距图斑(米)', width: 40 },
        { header: 'SHA-256', width: W - 42 - 78 - 82 - 40 - 52, align: 'left' },
        { header: '哈希校验', width: 52, align: 'left' },
      ],
      d.photos.map((p) => ({
        cells: [
          p.step,
          chinaDateTime(p.takenAt),
          `${p.lon.toFixed(6)}, ${p.lat.toFixed(6)}`,
          p.distanceM === null ? '—' : p.distanceM.toFixed(0),
          p.sha256,
          CHECKS[p.check],
        ],
      })),
      6,
    );
  else {
    doc.font(FONT).fontSize(9).text('无现场照片。', M, y);
    y = doc.y;
  }

  y = heading(doc, '六、执法全过程记录（哈希链）', y);
  y = table(
    doc,
    y,
    [
      { header: '序号', width: 34 },
      { header: '时间', width: 74, align: 'left' },
      { header: '动作', width: 62, align: 'left' },
      { header: '经办人', width: 100, align: 'left' },
      { header: '事件哈希 SHA-256', width: W - 34 - 74 - 62 - 100, align: 'left' },
    ],
    d.events.map((e) => ({
      cells: [String(e.seq), chinaDateTime(e.at), e.action, e.actor, e.hash],
    })),
    6,
  );
  if (y + 70 > bottomOf(doc)) {
    doc.addPage();
    y = M;
  }
  doc
    .font(BOLD)
    .fontSize(9)
    .text(`生成本档案时记录链头（序号 ${d.chainHead.seq}）：`, M, y + 8, { width: W });
  doc
    .font(FONT)
    .fontSize(8)
    .text(d.chainHead.hash, M, doc.y + 1, { width: W, lineBreak: false });
  doc
    .font(FONT)
    .fontSize(8)
    .fillColor('#333333')
    .text(
      `核验：在服务器上运行 gengbao audit verify --anchor ${d.chainHead.seq}:<上列链头哈希>，确认记录自本档案生成以来未被改动；上表各事件哈希须与记录中同序号事件一致。`,
      M,
      doc.y + 4,
      { width: W },
    );
  doc.fillColor('black');
  return finishPdf(doc, `耕保 Gengbao · ${title}`);
}
