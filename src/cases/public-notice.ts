/**
 * 执法公示: what a closed case shows the public, with personal data masked (个人信息保护法
 * 第二十八条 treats ID numbers as sensitive; the usual public-notice forms are 张*三,
 * 138****5678, 1405**********1234). Organisations keep their names: a legal person's
 * identity is not personal information. Free text is scanned for ID and phone numbers and
 * for the names of the people involved.
 */
import { GengbaoError } from '../errors.ts';
import type { Measure } from './inputs.ts';
import type { PolygonCaseState } from './states.ts';

/**
 * Masks a personal name, keeping the first and last character (Unicode code points).
 * @example maskName('张三丰') // '张*丰'; maskName('张三') // '张*'; maskName('欧阳娜娜') // '欧**娜'
 */
export function maskName(name: string): string {
  const words = name.trim().split(/\s+/);
  if (words.length > 1) return words.map((w) => maskWord(w, true)).join(' ');
  return maskWord(words[0], false);
}

function maskWord(word: string, latin: boolean): string {
  const c = Array.from(word);
  if (c.length <= 1) return '*';
  if (c.length === 2 || latin) return c[0] + '*'.repeat(c.length - 1);
  return c[0] + '*'.repeat(c.length - 2) + c[c.length - 1];
}

/** Masks a resident ID number (18 or 15 characters), keeping the first 4 and last 4. */
export function maskIdNumber(id: string): string {
  const s = id.trim();
  if (s.length <= 8) return '*'.repeat(s.length);
  return s.slice(0, 4) + '*'.repeat(s.length - 8) + s.slice(-4);
}

/** Masks a phone number, keeping the first 3 and last 4 digits (138****5678). */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length <= 7) return '*'.repeat(digits.length);
  return digits.slice(0, 3) + '*'.repeat(digits.length - 7) + digits.slice(-4);
}

// Not preceded or followed by another digit, so parts of longer numbers are left alone.
const ID_18 = /(?<!\d)\d{17}[\dXx](?!\d)/g;
const ID_15 = /(?<!\d)\d{15}(?!\d)/g;
const MOBILE = /(?<!\d)(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?!\d)/g;
const LANDLINE = /(?<!\d)0\d{2,3}-\d{7,8}(?!\d)/g;

/**
 * Masks ID numbers, phone numbers and the given personal names inside free text.
 * @example maskText('当事人张三丰（电话13812345678）', ['张三丰']) // '当事人张*丰（电话138****5678）'
 */
export function maskText(text: string, personNames: readonly string[] = []): string {
  let out = text
    .replace(ID_18, maskIdNumber)
    .replace(ID_15, maskIdNumber)
    .replace(MOBILE, maskPhone)
    .replace(LANDLINE, maskPhone);
  // Longest names first, so 张三丰 is masked whole before 张三 could match inside it.
  for (const name of [
    ...new Set(personNames.map((n) => n.trim()).filter((n) => n.length > 1)),
  ].sort((a, b) => b.length - a.length)) {
    out = out.split(name).join(maskName(name));
  }
  return out;
}

export interface PublicNotice {
  polygonId: string;
  jurisdictionCode: string;
  caseNo: string;
  decisionNo: string;
  parties: { kind: 'person' | 'organisation'; name: string }[];
  verdict: { illegalSubtype?: string; ruralHousingReasons: string[] };
  areaMu?: number;
  measures: Measure[];
  enforcement?: 'voluntary' | 'administrative' | 'court_ordered';
  closedAt: string;
  summary: string;
}

/**
 * The public record of a closed case, personal data masked. Only closed cases with a decision
 * are published; anything else is a conflict (there is nothing lawful to publish yet).
 */
export function publicNoticeOf(s: PolygonCaseState): PublicNotice {
  if (s.status !== 'closed' || !s.caseFile || !s.decision || !s.closure) {
    throw new GengbaoError(
      'conflict',
      `polygon ${s.id} is not a closed case with a decision; nothing to publish`,
      { field: 'status' },
    );
  }
  const persons = s.caseFile.parties.filter((p) => p.kind === 'person').map((p) => p.name);
  return {
    polygonId: s.id,
    jurisdictionCode: s.jurisdictionCode,
    caseNo: s.caseFile.caseNo,
    decisionNo: s.decision.decisionNo,
    parties: s.caseFile.parties.map((p) => ({
      kind: p.kind,
      name: p.kind === 'person' ? maskName(p.name) : p.name,
    })),
    verdict: {
      illegalSubtype: s.determination?.illegalSubtype,
      ruralHousingReasons: s.determination?.ruralHousingReasons ?? [],
    },
    areaMu: s.analysis?.totalMu,
    measures: s.decision.measures,
    enforcement: s.enforcement?.method,
    closedAt: s.closure.at,
    summary: maskText(s.closure.summary, persons),
  };
}
