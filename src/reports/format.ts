/**
 * How reports write times and figures: China Standard Time (UTC+8, no daylight saving —
 * docs/DOMAIN.md "Deadlines", "China time"), 亩 to two decimals, shares as percentages.
 */

const CST_MS = 8 * 3600_000;

const local = (iso: string) => new Date(Date.parse(iso) + CST_MS).toISOString();

/** 2026年12月7日 */
export function chinaDate(iso: string): string {
  const d = local(iso);
  return `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
}

/** 2026-12-07 10:30:05 (local time, to the second) */
export function chinaDateTime(iso: string): string {
  const d = local(iso);
  return `${d.slice(0, 10)} ${d.slice(11, 19)}`;
}

/** A figure as the PDF prints it: 宗 whole, 亩 with two decimals, a share as 12.5%; null as —. */
export function formatCell(value: number | null, kind: 'count' | 'mu' | 'percent'): string {
  if (value === null) return '—';
  if (kind === 'mu') return value.toFixed(2);
  if (kind === 'percent') return `${(value * 100).toFixed(1)}%`;
  return String(value);
}
