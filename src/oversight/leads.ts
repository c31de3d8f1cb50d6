/**
 * Leads from above (docs/DOMAIN.md "Leads from above"): the inspectorate (督察机构), the media
 * and higher authorities hand over places to look at with a document (交办函), and an office
 * may draw one by hand (`manual`). Each becomes a 图斑 of its source and goes through the
 * normal lifecycle; the periodic report says what became of each — the filings the county
 * reports back to the inspectorate (执法机构立案查处情况，定期通报督察机构).
 */
import { z } from 'zod';
import type { PolygonCaseState } from '../cases/states.ts';

export const HANDOVER_SOURCES = ['inspectorate', 'media', 'higher_authority', 'manual'] as const;
export type HandoverSource = (typeof HANDOVER_SOURCES)[number];

export const HANDOVER_SOURCE_LABELS: Record<HandoverSource, string> = {
  inspectorate: '督察交办',
  media: '媒体曝光',
  higher_authority: '上级交办',
  manual: '手工录入',
};

/** The handing-over document. */
export const HandoverDocument = z.object({
  docNo: z.string().trim().min(1).max(200),
  docDate: z.iso.date(),
  issuingBody: z.string().trim().min(1).max(200),
  summary: z.string().max(4000).default(''),
});
export type HandoverDocument = z.infer<typeof HandoverDocument>;

/** Where a handed-over lead stands, in the order a lead moves through them. */
export const LEAD_OUTCOMES = [
  'pending', // 待核查: found, analysed or pushed
  'verified', // 已核查, no verdict in force yet (or back with the county)
  'dismissed', // 伪变化剔除
  'lawful', // 合法
  'other', // 其他
  'illegal', // 违法, not yet filed
  'filed', // 已立案 (filed, decided, enforced, rectified, rechecked)
  'closed', // 已结案
] as const;
export type LeadOutcome = (typeof LEAD_OUTCOMES)[number];

export const LEAD_OUTCOME_LABELS: Record<LeadOutcome, string> = {
  pending: '待核查',
  verified: '已核查待判定',
  dismissed: '伪变化剔除',
  lawful: '合法',
  other: '其他',
  illegal: '违法未立案',
  filed: '已立案查处',
  closed: '已结案',
};

const FILED = new Set(['case_filed', 'decided', 'enforced', 'rectified', 'rechecked']);

export function leadOutcome(s: PolygonCaseState | null): LeadOutcome {
  if (!s) return 'pending';
  if (s.status === 'closed') return s.dismissal ? 'dismissed' : 'closed';
  if (FILED.has(s.status)) return 'filed';
  const d = s.determination;
  if (d && ['reviewed', 'stopped', 'determined'].includes(s.status))
    return d.category === 'illegal' ? 'illegal' : d.category;
  if (s.verification || s.status === 'returned' || s.status === 'disputed') return 'verified';
  return 'pending';
}

/** Counts per outcome, one row per source (and the total). */
export function leadOutcomeCounts(
  leads: readonly { source: string; state: PolygonCaseState | null }[],
): { source: string; total: number; outcomes: Record<LeadOutcome, number> }[] {
  const zero = () =>
    Object.fromEntries(LEAD_OUTCOMES.map((o) => [o, 0])) as Record<LeadOutcome, number>;
  const rows = new Map<
    string,
    { source: string; total: number; outcomes: Record<LeadOutcome, number> }
  >();
  for (const l of leads) {
    for (const key of [l.source, 'all']) {
      let r = rows.get(key);
      if (!r) rows.set(key, (r = { source: key, total: 0, outcomes: zero() }));
      r.total++;
      r.outcomes[leadOutcome(l.state)]++;
    }
  }
  return [...rows.values()].sort((a, b) =>
    a.source === 'all' ? 1 : b.source === 'all' ? -1 : a.source.localeCompare(b.source),
  );
}
