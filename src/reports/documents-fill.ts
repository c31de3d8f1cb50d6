/**
 * Which enforcement document a case may have, who issues it, and the values of its
 * placeholders — all from the case's record (its projection) and the 图斑's places and
 * figures, so a document says what the record says.
 */
import type { PolygonCaseState, Role } from '../cases/index.ts';
import { chinaDate } from './format.ts';
import { FILE_MODES, MEASURES, SUBTYPES, TRANSFER_TO } from './dossier.ts';
import type { DocumentKind } from './documents-template.ts';

/** What a document is filled from. */
export interface DocumentCase {
  code: string;
  period: string;
  areaMu: number;
  /** The units from the 图斑's own up to the province, finest first (as unitChainOf). */
  places: { level: string; code: string; name: string }[];
  state: PolygonCaseState;
}

export interface DocumentKindRule {
  label: string;
  /** Who issues it: the county enforcement officer serves every one of these on the parties. */
  roles: readonly Role[];
  /** Why the case cannot have this document now, or null when it can. */
  refusal(s: PolygonCaseState): string | null;
}

const ILLEGAL_PATH = new Set([
  'pushed',
  'verified',
  'determined',
  'returned',
  'disputed',
  'reviewed',
  'stopped',
]);

export const DOCUMENT_RULES: Readonly<Record<DocumentKind, DocumentKindRule>> = {
  stop_notice: {
    label: '责令停止违法行为通知书',
    roles: ['county_officer'],
    // Served before or at the stop: from the push (早制止) until the case is filed.
    refusal: (s) =>
      !ILLEGAL_PATH.has(s.status)
        ? '案件须已下发且尚未立案 / the case must be pushed and not yet filed'
        : s.determination && s.determination.category !== 'illegal'
          ? '判定不是违法 / the verdict is not illegal'
          : null,
  },
  filing_approval: {
    label: '立案审批表',
    roles: ['county_officer'],
    refusal: (s) => (s.caseFile ? null : '案件尚未立案 / the case has not been filed'),
  },
  penalty_decision: {
    label: '行政处罚决定书',
    roles: ['county_officer'],
    refusal: (s) => (s.decision ? null : '尚未作出处罚决定 / no penalty decision yet'),
  },
  demolition_notice: {
    label: '责令限期拆除（恢复）通知书',
    roles: ['county_officer'],
    refusal: (s) =>
      s.decision?.measures.some((m) => m.kind === 'demolish' || m.kind === 'restore_land')
        ? null
        : '处罚决定未责令拆除或恢复 / the decision orders no demolition or restoration',
  },
  transfer_letter: {
    label: '涉嫌犯罪案件移送书',
    roles: ['county_officer'],
    refusal: (s) =>
      s.transfers.length ? null : '案件尚未移送 / the case has not been transferred',
  },
};

const date = (iso: string | undefined) => (iso ? chinaDate(iso) : '');
const dateOnly = (d: string | undefined) => (d ? chinaDate(`${d}T00:00:00+08:00`) : '');
const mu = (v: number | undefined) => (v ?? 0).toFixed(2);
const nameAt = (c: DocumentCase, level: string) =>
  c.places.find((p) => p.level === level)?.name ?? '';

const HEARING: Readonly<Record<string, string>> = {
  held: '已举行听证',
  waived: '当事人放弃听证',
  not_applicable: '不适用听证',
};

/** The measures of the decision in force, in words: 限期拆除、罚款 12000 元. */
function measuresText(s: PolygonCaseState): string {
  return (s.decision?.measures ?? [])
    .map((m) =>
      m.kind === 'fine' && m.amountYuan ? `罚款 ${m.amountYuan} 元` : (MEASURES[m.kind] ?? m.kind),
    )
    .join('、');
}

/** The facts in one sentence, from the verification, the verdict and the overlay. */
function factsText(c: DocumentCase, place: string): string {
  const s = c.state;
  const v = s.verification;
  const d = s.determination;
  const layer = s.analysis?.layerMu ?? {};
  const farmland = layer.farmland ?? 0;
  const pbf = layer.permanent_basic_farmland ?? layer.pbf ?? 0;
  const what = v?.use || v?.projectName || '建设';
  const parts = [
    `${v?.builder ? `${v.builder}` : '当事人'}${v?.buildDate ? `于${v.buildDate}` : ''}未经批准擅自在${place}占用土地进行${what}`,
    `占地面积${mu(s.analysis?.totalMu ?? c.areaMu)}亩${farmland || pbf ? `，其中耕地${mu(farmland)}亩、永久基本农田${mu(pbf)}亩` : ''}`,
  ];
  if (v?.visitedAt) parts.push(`${date(v.visitedAt)}经实地核查属实`);
  if (d?.category === 'illegal')
    parts.push(`经判定为违法用地（${SUBTYPES[d.illegalSubtype ?? ''] ?? d.illegalSubtype ?? ''}）`);
  return `${parts.join('，')}。`;
}

/** Three days after `iso` (China time), the usual time to answer a stop order. */
function plusDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * 86_400_000).toISOString();
}

/**
 * The values of every body placeholder for one document. `transferDocNo` picks the transfer a
 * 移送书 is about (default: the latest).
 */
export function documentFields(
  c: DocumentCase,
  o: { number: string; issuedAt: string; transferDocNo?: string },
): Record<string, string> {
  const s = c.state;
  const county = nameAt(c, 'county');
  const place = ['county', 'township', 'village'].map((l) => nameAt(c, l)).join('');
  const parties = s.caseFile?.parties ?? [];
  const builder = s.verification?.builder;
  const layer = s.analysis?.layerMu ?? {};
  const transfer =
    s.transfers.find((t) => t.docNo === o.transferDocNo) ?? s.transfers[s.transfers.length - 1];
  const d = s.decision;
  return {
    文号: o.number,
    发文机关: `${county}自然资源局`,
    日期: date(o.issuedAt),
    图斑编号: c.code,
    监测期: c.period,
    省: nameAt(c, 'province'),
    市: nameAt(c, 'city'),
    县: county,
    乡镇: nameAt(c, 'township'),
    村: nameAt(c, 'village'),
    地点: place,
    图斑面积亩: mu(s.analysis?.totalMu ?? c.areaMu),
    耕地亩: mu(layer.farmland),
    永久基本农田亩: mu(layer.permanent_basic_farmland ?? layer.pbf),
    当事人: parties.length ? parties.map((p) => p.name).join('、') : (builder ?? ''),
    当事人信息: parties.length
      ? parties
          .map((p) =>
            [
              p.name,
              p.idNumber ? `身份证号 ${p.idNumber}` : '',
              p.address ? `住址 ${p.address}` : '',
            ]
              .filter(Boolean)
              .join('，'),
          )
          .join('\n')
      : (builder ?? ''),
    建设内容: s.verification?.use || s.verification?.projectName || '',
    建设时间: s.verification?.buildDate ?? '',
    违法类型:
      s.determination?.category === 'illegal'
        ? (SUBTYPES[s.determination.illegalSubtype ?? ''] ?? s.determination.illegalSubtype ?? '')
        : '',
    违法事实: factsText(c, place),
    核查日期: date(s.verification?.visitedAt),
    制止日期: date(s.stop?.stoppedAt),
    立案号: s.caseFile?.caseNo ?? '',
    立案方式: s.caseFile ? (FILE_MODES[s.caseFile.mode] ?? s.caseFile.mode) : '',
    立案日期: date(s.caseFile?.at),
    联合办案单位: s.caseFile?.jointAgencies.length
      ? `（${s.caseFile.jointAgencies.join('、')}）`
      : '',
    决定文号: d?.decisionNo ?? '',
    处罚内容: measuresText(s),
    听证: d ? (HEARING[d.hearing] ?? d.hearing) : '',
    调查报告文号: d?.investigationReportNo ?? '',
    整改期限: dateOnly(d?.rectifyBy),
    决定日期: date(d?.at),
    移送机关: transfer ? (TRANSFER_TO[transfer.to] ?? transfer.to) : '',
    移送文号: transfer?.docNo ?? '',
    移送理由: transfer?.reason ?? '',
    移送日期: date(transfer?.at),
    停止期限: date(plusDays(o.issuedAt, 3)),
  };
}
