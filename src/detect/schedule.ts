/**
 * Which monitoring runs are due: for each unit and sensor, a cadence (monthly, or on arrival
 * for drones) and, for each new scene, the before scene it is compared with. Pure: stored
 * scenes and the runs already taken in, the runs to start out.
 */
import type { BBox } from '../geo/types.ts';

export type Cadence = 'monthly' | 'arrival' | 'off';

/** One line of the cadence configuration; the most specific line that matches wins. */
export interface CadenceRule {
  /** A unit code prefix (a province `14`, a county `140525` …); absent: everywhere. */
  jurisdiction?: string;
  sensor?: string;
  cadence: Cadence;
}

/** Monthly everywhere; drone and aerial frames (rgb) on arrival. */
export const DEFAULT_CADENCE: readonly CadenceRule[] = [
  { cadence: 'monthly' },
  { sensor: 'rgb', cadence: 'arrival' },
];

/** Scenes cloudier than this are not used (when their cloud share is known). */
export const MAX_CLOUD_SHARE = 0.3;
/** A before scene must cover at least this share of the after scene's box. */
export const MIN_OVERLAP = 0.5;
/** "The same season": within this many days of one year before the after date. */
export const SEASON_WINDOW_DAYS = 31;

export interface SceneForPairing {
  id: number;
  /** YYYY-MM-DD */
  date: string;
  sensor: string;
  jurisdictionCode: string;
  bbox: BBox;
  cloud?: number;
}

export function cadenceOf(
  rules: readonly CadenceRule[],
  unitCode: string,
  sensor: string,
): Cadence {
  let best: { rule: CadenceRule; rank: number } | null = null;
  for (const rule of rules) {
    if (rule.jurisdiction !== undefined && !unitCode.startsWith(rule.jurisdiction)) continue;
    if (rule.sensor !== undefined && rule.sensor !== sensor) continue;
    // A longer unit prefix is more specific than a sensor; later lines win ties.
    const rank = (rule.jurisdiction?.length ?? 0) * 2 + (rule.sensor ? 1 : 0);
    if (!best || rank >= best.rank) best = { rule, rank };
  }
  return best?.rule.cadence ?? 'monthly';
}

const dayMs = 86_400_000;
const ms = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

function overlapShare(after: BBox, before: BBox): number {
  const w = Math.min(after[2], before[2]) - Math.max(after[0], before[0]);
  const h = Math.min(after[3], before[3]) - Math.max(after[1], before[1]);
  const area = (after[2] - after[0]) * (after[3] - after[1]);
  return w > 0 && h > 0 && area > 0 ? (w * h) / area : 0;
}

/**
 * The before scene for an after scene: the same sensor, earlier, not cloudier than
 * MAX_CLOUD_SHARE, covering at least MIN_OVERLAP of it. Preferred: the same season a year
 * before (within SEASON_WINDOW_DAYS of the anniversary, the closest), because crops and bare
 * fields look alike again then; otherwise the previous period, the newest earlier scene.
 */
export function chooseBefore(
  after: SceneForPairing,
  scenes: readonly SceneForPairing[],
): { before: SceneForPairing; match: 'season' | 'previous' } | null {
  const usable = scenes.filter(
    (s) =>
      s.id !== after.id &&
      s.sensor === after.sensor &&
      ms(s.date) < ms(after.date) &&
      (s.cloud ?? 0) <= MAX_CLOUD_SHARE &&
      overlapShare(after.bbox, s.bbox) >= MIN_OVERLAP,
  );
  if (!usable.length) return null;
  const anniversary = ms(after.date) - 365 * dayMs;
  const season = usable
    .map((s) => ({ s, off: Math.abs(ms(s.date) - anniversary) / dayMs }))
    .filter((x) => x.off <= SEASON_WINDOW_DAYS)
    .sort((a, b) => a.off - b.off || b.s.id - a.s.id)[0];
  if (season) return { before: season.s, match: 'season' };
  const previous = [...usable].sort((a, b) => ms(b.date) - ms(a.date) || b.id - a.id)[0];
  return { before: previous, match: 'previous' };
}

export interface PlannedRun {
  jurisdictionCode: string;
  sensor: string;
  /** The monitoring period, YYYY-MM: the after scene's month. */
  period: string;
  /** The period (monthly), or period#scene (on arrival): unique per unit and sensor. */
  runKey: string;
  before: number;
  after: number;
  match: 'season' | 'previous';
}

export const keyOf = (r: Pick<PlannedRun, 'jurisdictionCode' | 'sensor' | 'runKey'>) =>
  `${r.jurisdictionCode}|${r.sensor}|${r.runKey}`;

/**
 * The runs to start now: newest scenes first, each after scene with a usable before scene
 * starts the run of its unit, sensor and key unless that run was taken; monthly, the first
 * usable scene of a month takes the month (later ones of the month start nothing).
 */
export function planRuns(
  scenes: readonly SceneForPairing[],
  rules: readonly CadenceRule[],
  taken: ReadonlySet<string>,
): PlannedRun[] {
  const out: PlannedRun[] = [];
  const planned = new Set(taken);
  const newestFirst = [...scenes].sort((a, b) => ms(b.date) - ms(a.date) || b.id - a.id);
  for (const after of newestFirst) {
    const cadence = cadenceOf(rules, after.jurisdictionCode, after.sensor);
    if (cadence === 'off') continue;
    const period = after.date.slice(0, 7);
    const runKey = cadence === 'arrival' ? `${period}#${after.id}` : period;
    const key = keyOf({ jurisdictionCode: after.jurisdictionCode, sensor: after.sensor, runKey });
    if (planned.has(key)) continue;
    const pair = chooseBefore(after, scenes);
    if (!pair) continue;
    planned.add(key);
    out.push({
      jurisdictionCode: after.jurisdictionCode,
      sensor: after.sensor,
      period,
      runKey,
      before: pair.before.id,
      after: after.id,
      match: pair.match,
    });
  }
  return out;
}
