/**
 * Official-time day arithmetic for deadlines. Deadlines are counted in local calendar days
 * (China Standard Time, a fixed UTC+8 with no daylight saving), so a plain offset is exact and
 * no time-zone database is needed; a day ends at 23:59:59.999 local time. Working days skip
 * weekends and configured holidays but count 调休 make-up Saturdays/Sundays.
 */
import type { DeadlineConfig, DeadlineRule } from './deadline-config.ts';
import { GengbaoError } from '../errors.ts';

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of the local date of instant `ms`. */
export function localDay(ms: number, offsetMinutes: number): number {
  return Math.floor((ms + offsetMinutes * 60_000) / DAY_MS);
}

/** The instant (ms) of 23:59:59.999 local time on local day `day`. */
export function endOfLocalDay(day: number, offsetMinutes: number): number {
  return (day + 1) * DAY_MS - offsetMinutes * 60_000 - 1;
}

/** YYYY-MM-DD of a day number. */
export function dayToIso(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Day number of a YYYY-MM-DD date. */
export function isoToDay(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

/** True when the local day is a working day under the configured holidays and make-up days. */
export function isWorkingDay(
  day: number,
  cal: Pick<DeadlineConfig, 'holidays' | 'makeupWorkdays'>,
): boolean {
  const iso = dayToIso(day);
  if (cal.makeupWorkdays.includes(iso)) return true;
  if (cal.holidays.includes(iso)) return false;
  const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
  return weekday !== 0 && weekday !== 6;
}

/**
 * When a deadline started at `startIso` under `rule` falls due, as an ISO instant (ms precision).
 * @example dueAt({ kind: 'day_of_next_month', day: 10 }, '2026-11-20T02:00:00.000Z', cfg) // '2026-12-10T15:59:59.999Z'
 */
export function dueAt(rule: DeadlineRule, startIso: string, cfg: DeadlineConfig): string {
  const start = Date.parse(startIso);
  if (Number.isNaN(start))
    throw new GengbaoError('bad_input', `not a timestamp: ${startIso}`, { field: 'at' });
  const off = cfg.timezoneOffsetMinutes;
  const startDay = localDay(start, off);
  switch (rule.kind) {
    case 'within_hours':
      return new Date(start + rule.hours * 3_600_000).toISOString();
    case 'within_days': {
      if (rule.calendar === 'natural')
        return new Date(endOfLocalDay(startDay + rule.days, off)).toISOString();
      let day = startDay;
      // The start day itself does not count, as in administrative-procedure time limits.
      for (let left = rule.days; left > 0;) {
        day += 1;
        if (isWorkingDay(day, cfg)) left -= 1;
      }
      return new Date(endOfLocalDay(day, off)).toISOString();
    }
    case 'day_of_next_month': {
      const d = new Date(startDay * DAY_MS);
      const y = d.getUTCFullYear();
      const m = d.getUTCMonth() + 1; // next month, 0-based, may be 12 (Date.UTC rolls the year)
      const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
      const due = Date.UTC(y, m, Math.min(rule.day, lastDay)) / DAY_MS;
      return new Date(endOfLocalDay(due, off)).toISOString();
    }
  }
}

/** End of a local calendar date (YYYY-MM-DD) as an ISO instant: for dates set by a decision. */
export function endOfLocalDate(
  date: string,
  cfg: Pick<DeadlineConfig, 'timezoneOffsetMinutes'>,
): string {
  return new Date(endOfLocalDay(isoToDay(date), cfg.timezoneOffsetMinutes)).toISOString();
}
