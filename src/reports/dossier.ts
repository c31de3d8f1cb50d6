/**
 * The 图斑 dossier (图斑档案): everything a reader needs about one 图斑 on paper — where it
 * is, where it came from, what the imagery shows, the overlay figures, the verdict and the
 * decisions, the field photos with their checks, and every step of its record with the hashes
 * that let `gengbao audit verify` prove the paper matches the database. This file holds the
 * data the service gathers and the Chinese wording of the case's facts; dossier-pdf.ts draws it.
 */
import { TRANSITIONS, type PolygonCaseState } from '../cases/index.ts';
import type { Areal } from '../geo/types.ts';
import { SOURCE_LABELS } from './columns.ts';
import { chinaDateTime } from './format.ts';

/** One side of the before/after pair: a detection chip (outline drawn in) or imagery tiles. */
export type DossierImage =
  | { kind: 'chip'; png: Buffer; label: string }
  | { kind: 'tiles'; tiles: { z: number; x: number; y: number; png: Buffer }[]; label: string };

/** A field photo as the record names it, with what the server found checking it. */
export interface DossierPhoto {
  step: string;
  sha256: string;
  takenAt: string;
  lon: number;
  lat: number;
  /** Metres from the 图斑's outline (0 inside). */
  distanceM: number | null;
  /** `ok`: the original is stored and hashes to the recorded SHA-256; `missing`: not on this server. */
  check: 'ok' | 'missing' | 'mismatch';
}

export interface DossierEvent {
  seq: number;
  at: string;
  action: string;
  actor: string;
  hash: string;
}

export interface DossierData {
  code: string;
  period: string;
  source: string;
  status: string;
  areaMu: number;
  /** The units from the province down to the village (names and codes). */
  places: { level: string; code: string; name: string }[];
  geometry: Areal;
  /** The village's (or smallest unit's) outline for the locator. */
  locator: { name: string; geometry: Areal } | null;
  before: DossierImage | null;
  after: DossierImage | null;
  state: PolygonCaseState | null;
  properties: Record<string, unknown>;
  photos: DossierPhoto[];
  events: DossierEvent[];
  /** The head of the whole record when the dossier was made. */
  chainHead: { seq: number; hash: string };
  generatedAt: string;
}

export const STATUS_LABELS: Readonly<Record<string, string>> = {
  found: '发现',
  analysed: '套合',
  pushed: '下发',
  verified: '核查举证',
  determined: '判定（待审核）',
  returned: '退回整改',
  disputed: '异议',
  reviewed: '审核通过',
  stopped: '制止',
  case_filed: '立案',
  decided: '处罚决定',
  enforced: '执行',
  rectified: '整改',
  rechecked: '复核',
  closed: '结案销号',
};

const LAYER_LABELS: Readonly<Record<string, string>> = {
  farmland: '耕地',
  pbf: '永久基本农田',
  permanent_basic_farmland: '永久基本农田',
  redline: '生态保护红线',
  ecological_red_line: '生态保护红线',
  approval: '农转用/征收批复、供地',
  facility: '设施农用地备案',
  temporary: '临时用地',
  homestead: '宅基地审批',
};
export const MEASURES: Readonly<Record<string, string>> = {
  demolish: '限期拆除',
  confiscate: '没收',
  restore_land: '恢复耕地',
  fine: '罚款',
  after_permit: '补办手续',
};
export const FILE_MODES: Readonly<Record<string, string>> = {
  direct: '直接立案',
  joint: '联合立案',
  supervised: '挂牌督办',
};
const ENFORCE: Readonly<Record<string, string>> = {
  voluntary: '自行履行',
  administrative: '行政强制执行',
  court_ordered: '法院裁定准予执行',
};
export const TRANSFER_TO: Readonly<Record<string, string>> = {
  police: '公安机关',
  procuratorate: '检察机关',
  discipline: '纪检监察机关',
};
export const SUBTYPES: Readonly<Record<string, string>> = { new: '新增', legacy: '存量' };

export const sourceLabel = (s: string) => SOURCE_LABELS[s] ?? s;

/** The Chinese name of a record event's action (`polygon.determine` → 判定). */
export function actionLabel(type: string): string {
  const action = type.split('.').pop() ?? type;
  if (action === 'found') return '发现';
  return (TRANSITIONS as Record<string, { label: string } | undefined>)[action]?.label ?? action;
}

/** Overlay figures (套合) as label / 亩 pairs: total first, then each layer with area. */
export function figureLines(
  d: Pick<DossierData, 'state' | 'areaMu'>,
): { label: string; mu: number }[] {
  const a = d.state?.analysis;
  const out = [{ label: '图斑面积', mu: a?.totalMu ?? d.areaMu }];
  // Farmland first, in the order of docs/DOMAIN.md "套合 (overlay)"; unknown layers last.
  const order = Object.keys(LAYER_LABELS);
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  const layers = Object.entries(a?.layerMu ?? {}).sort(
    (x, y) => rank(x[0]) - rank(y[0]) || x[0].localeCompare(y[0]),
  );
  for (const [k, v] of layers) out.push({ label: `其中 ${LAYER_LABELS[k] ?? k}`, mu: v });
  return out;
}

/** Pre-judgment flags (预判) from the overlay, as the office app shows them. */
export function flagsOf(d: Pick<DossierData, 'state' | 'properties'>): string[] {
  const stored =
    typeof d.properties.flags === 'string' ? d.properties.flags.split(',').filter(Boolean) : [];
  if (stored.length) return stored;
  const p = d.state?.analysis?.preJudgment;
  if (!p) return [];
  return [
    { approved: '已批', unapproved: '未批', partly_approved: '部分已批' }[p.approval],
    ...(p.onFarmland ? ['占耕'] : []),
    ...(p.onPermanentBasicFarmland ? ['占永农'] : []),
  ];
}

const at = (iso: string | undefined) => (iso ? chinaDateTime(iso) : '');

/** The verdict and every decision of the case, one line each, in the order they were taken. */
export function decisionLines(s: PolygonCaseState | null): { label: string; text: string }[] {
  if (!s) return [];
  const out: { label: string; text: string }[] = [];
  if (s.dismissal)
    out.push({
      label: '伪变化剔除',
      text: `${s.dismissal.reason}${s.dismissal.note ? `：${s.dismissal.note}` : ''}（${at(s.dismissal.at)}）`,
    });
  const d = s.determination;
  if (d) {
    const what =
      d.category === 'lawful'
        ? `合法，批准文号 ${d.approvalDocNo ?? ''}`
        : d.category === 'illegal'
          ? `违法（${SUBTYPES[d.illegalSubtype ?? ''] ?? d.illegalSubtype ?? ''}）${d.buildYear ? `，${d.buildYear}年建` : ''}`
          : `其他：${d.otherReason ?? ''}`;
    out.push({ label: '判定', text: `${what}（${at(d.at)}）` });
  }
  for (const r of s.reviews)
    out.push({
      label: '审核',
      text: `${{ accepted: '审核通过', returned: '退回整改', dispute_upheld: '异议成立', dispute_rejected: '异议不成立' }[r.outcome]}${r.reason ? `：${r.reason}` : ''}（${at(r.at)}）`,
    });
  if (s.stop)
    out.push({
      label: '制止',
      text: `${s.stop.method === 'stop_order' ? `责令停止通知书 ${s.stop.orderNo ?? ''}` : '现场制止'}（${at(s.stop.stoppedAt)}）`,
    });
  if (s.caseFile)
    out.push({
      label: '立案',
      text: `${FILE_MODES[s.caseFile.mode] ?? s.caseFile.mode}，案号 ${s.caseFile.caseNo}，当事人 ${s.caseFile.parties.map((p) => p.name).join('、')}${s.caseFile.major ? '（重大案件）' : ''}（${at(s.caseFile.at)}）`,
    });
  for (const x of s.decisionHistory) {
    const measures = x.measures
      .map((m) =>
        m.kind === 'fine' && m.amountYuan
          ? `罚款 ${m.amountYuan} 元`
          : (MEASURES[m.kind] ?? m.kind),
      )
      .join('、');
    const amended = 'basis' in x;
    out.push({
      label: amended ? '变更决定' : '处罚决定',
      text: `${x.decisionNo}：${measures}${x.rectifyBy ? `，限 ${x.rectifyBy} 前整改` : ''}（${at(x.at)}）`,
    });
  }
  if (s.enforcement)
    out.push({
      label: '执行',
      text: `${ENFORCE[s.enforcement.method] ?? s.enforcement.method}，已完成 ${s.enforcement.measuresDone.map((m) => MEASURES[m] ?? m).join('、')}（${at(s.enforcement.at)}）`,
    });
  for (const t of s.transfers)
    out.push({
      label: '移送',
      text: `移送${TRANSFER_TO[t.to] ?? t.to}，${t.docNo}：${t.reason}（${at(t.at)}）`,
    });
  if (s.rectification)
    out.push({ label: '整改', text: `恢复耕种，完成于 ${at(s.rectification.completedAt)}` });
  for (const r of s.rechecks)
    out.push({
      label: r.passed ? '复核通过' : '复核未通过',
      text: `${r.method === 'imagery' ? '影像复核' : '实地复核'}（${at(r.at)}）`,
    });
  if (s.closure) out.push({ label: '结案', text: `${s.closure.summary}（${at(s.closure.at)}）` });
  return out;
}

/** Every photo the record names, with the step that took it. */
export function recordedPhotos(
  s: PolygonCaseState | null,
): { step: string; sha256: string; takenAt: string; lon: number; lat: number }[] {
  if (!s) return [];
  const steps: [
    string,
    { sha256: string; takenAt: string; lon: number; lat: number }[] | undefined,
  ][] = [
    ['核查举证', s.verification?.photos],
    ['制止', s.stop?.photos],
    ['执行', s.enforcement?.photos],
    ['整改', s.rectification?.photos],
    ...s.rechecks.map(
      (
        r,
      ): [string, { sha256: string; takenAt: string; lon: number; lat: number }[] | undefined] => [
        '复核',
        'photos' in r ? (r.photos as never) : undefined,
      ],
    ),
  ];
  return steps.flatMap(([step, photos]) =>
    (photos ?? []).map((p) => ({
      step,
      sha256: p.sha256,
      takenAt: p.takenAt,
      lon: p.lon,
      lat: p.lat,
    })),
  );
}
