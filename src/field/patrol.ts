import { GengbaoError } from '../errors.ts';
import { geodesicDistanceM } from './distance.ts';
import type { TrackPoint } from './schemas.ts';

/**
 * Adds points to a patrol track. Points arrive in batches from a phone that may resend a batch
 * after a lost answer: a point at a time already recorded is a duplicate and is dropped, so
 * retries never double the track. Points are kept in time order.
 */
export function mergeTrack(
  track: TrackPoint[],
  batch: TrackPoint[],
  window: { startedAt: string; endedAt?: string | null },
  receivedAt: Date,
): TrackPoint[] {
  const start = Date.parse(window.startedAt);
  const seen = new Set(track.map((p) => Date.parse(p.at)));
  const out = [...track];
  batch.forEach((p, i) => {
    const t = Date.parse(p.at);
    if (t < start - 60_000 || t > receivedAt.getTime() + 60_000) {
      throw new GengbaoError(
        'bad_input',
        `points[${i}] at ${p.at} is outside the patrol (started ${window.startedAt})`,
        { field: `points.${i}.at` },
      );
    }
    if (!seen.has(t)) {
      seen.add(t);
      out.push(p);
    }
  });
  return out.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** Length of a track in metres along geodesics between successive fixes. */
export function trackLengthM(track: TrackPoint[]): number {
  let s = 0;
  for (let i = 1; i < track.length; i++)
    s += geodesicDistanceM([track[i - 1].lon, track[i - 1].lat], [track[i].lon, track[i].lat]);
  return Math.round(s);
}

/** Monday 00:00 UTC+8 (China Standard Time) of the week containing `t`, as an ISO date. */
export function weekOf(t: Date): string {
  const local = new Date(t.getTime() + 8 * 3600_000);
  const dow = (local.getUTCDay() + 6) % 7;
  local.setUTCDate(local.getUTCDate() - dow);
  return local.toISOString().slice(0, 10);
}

export interface ChiefPatrols {
  userId: number;
  username: string;
  jurisdictionCode: string;
  /** Start times of the chief's completed patrols. */
  patrols: Date[];
}

/**
 * Patrol rate (巡田率) per chief: the share of the last `weeks` weeks (China time, Monday to
 * Sunday, the current one included) in which the chief completed at least one patrol — the
 * 田长制 duty is weekly, so a week with three patrols counts once.
 */
export function patrolRates(
  chiefs: ChiefPatrols[],
  weeks: number,
  now: Date,
): {
  userId: number;
  username: string;
  jurisdictionCode: string;
  weeksWithPatrol: number;
  weeks: number;
  rate: number;
  patrols: number;
}[] {
  const wanted = new Set<string>();
  for (let i = 0; i < weeks; i++) wanted.add(weekOf(new Date(now.getTime() - i * 7 * 86400_000)));
  return chiefs.map((c) => {
    const inRange = c.patrols.filter((p) => wanted.has(weekOf(p)));
    const covered = new Set(inRange.map(weekOf)).size;
    return {
      userId: c.userId,
      username: c.username,
      jurisdictionCode: c.jurisdictionCode,
      weeksWithPatrol: covered,
      weeks,
      rate: Math.round((covered / weeks) * 1000) / 1000,
      patrols: inRange.length,
    };
  });
}

/**
 * A time the phone reports for something it did offline (a patrol started or ended with no
 * signal). Trusted within bounds: not in the future beyond a minute of clock drift, not older
 * than `maxAgeDays` (a phone that stayed offline longer must start a new patrol).
 */
export function phoneTime(
  value: string | undefined,
  receivedAt: Date,
  field: string,
  maxAgeDays = 7,
): Date {
  if (value === undefined) return receivedAt;
  const t = new Date(value);
  if (t.getTime() > receivedAt.getTime() + 60_000)
    throw new GengbaoError('bad_input', `${field} ${value} is in the future`, { field });
  if (t.getTime() < receivedAt.getTime() - maxAgeDays * 86400_000)
    throw new GengbaoError('bad_input', `${field} ${value} is more than ${maxAgeDays} days ago`, {
      field,
    });
  return t;
}
