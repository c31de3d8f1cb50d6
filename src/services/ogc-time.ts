/*
 * The time of a 图斑 for OGC API – Features: its monitoring period (YYYY-MM), a calendar
 * month in China Standard Time (UTC+8, no daylight saving), since monitoring rounds follow
 * the Chinese calendar month. `datetime` queries select the periods whose month they touch.
 */

const CST_MS = 8 * 3600_000;

/** The month (YYYY-MM) an instant falls in, China time. */
export function monthOf(d: Date): string {
  return new Date(d.getTime() + CST_MS).toISOString().slice(0, 7);
}

/** A period's month as a closed RFC 3339 interval (first and last second), China time. */
export function periodInterval(period: string): [string, string] {
  const [y, m] = period.split('-').map(Number);
  // Day 0 of the next month is the last day of this one.
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return [`${period}-01T00:00:00+08:00`, `${period}-${lastDay}T23:59:59+08:00`];
}

/**
 * The periods a closed interval touches, as inclusive bounds (either open). An end exactly at
 * a month's first instant touches that month: OGC intervals are closed
 * (OGC 17-069r4, /req/core/fc-time-response).
 */
export function monthsTouched(
  start: Date | null,
  end: Date | null,
): { from?: string; to?: string } {
  return { from: start ? monthOf(start) : undefined, to: end ? monthOf(end) : undefined };
}
