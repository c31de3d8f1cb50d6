/**
 * Scorecards of townships and village chiefs (docs/DOMAIN.md "Scorecards"): the duties the
 * 田长制 ties to cadres' performance, each a share in [0, 1], weighted into a score out of 100
 * and ranked. A component with nothing to measure (no case was due, none spot-checked) is left
 * out and the other weights renormalised, so a quiet village is not scored zero for it.
 *
 * - patrol: weeks with a patrol ÷ weeks of the window, averaged over the unit's chiefs;
 * - verifyOnTime: verification deadlines met ÷ those due (done, or open past due);
 * - notOverturned: 1 − spot-checked cases overturned ÷ spot-checked;
 * - earlyStop: buildings stopped before the satellite found them ÷ buildings stopped. A stop
 *   counts as "before the satellite" when the case came from a patrol, tip or camera and no
 *   detection-sourced 图斑 overlapping it had been found by the time of the stop — the place
 *   test is the bounding boxes' overlap, an approximation the services document;
 * - notResumed: 1 − stopped cases where building resumed ÷ stopped. Resumed: a later 图斑 was
 *   recorded by 套合 as a repeat of the stopped one, or a recheck failed after the stop.
 */
import type { PolygonCaseState } from '../cases/states.ts';
import type { OversightConfig } from './config.ts';

export const SCORE_COMPONENTS = [
  'patrol',
  'verifyOnTime',
  'notOverturned',
  'earlyStop',
  'notResumed',
] as const;
export type ScoreComponent = (typeof SCORE_COMPONENTS)[number];

export interface ScorecardCase {
  id: number;
  jurisdictionCode: string;
  source: string;
  state: PolygonCaseState | null;
  /** When a detection-sourced 图斑 at the same place was first found (null: never). */
  detectedAt: string | null;
  /** Ids of later 图斑 that 套合 recorded as repeats of this one. */
  repeatedBy: readonly number[];
}

export interface UnitPatrol {
  unit: string;
  /** Each chief's patrol rate in the window, 0..1. */
  rates: readonly number[];
}

export interface ComponentValue {
  count: number;
  of: number;
  value: number | null;
}

export interface Scorecard {
  unit: string;
  components: Record<ScoreComponent, ComponentValue>;
  /** 0..100, two decimals; null when no component could be measured. */
  score: number | null;
  rank: number | null;
}

const FROM_THE_GROUND = new Set(['patrol', 'tip', 'video']);

const value = (count: number, of: number): ComponentValue => ({
  count,
  of,
  value: of > 0 ? Math.round((count / of) * 1000) / 1000 : null,
});

/** Stopped, and stopped before any detection of the same place? */
export function stoppedBeforeDetection(c: ScorecardCase): boolean {
  const stop = c.state?.stop;
  if (!stop || !FROM_THE_GROUND.has(c.source)) return false;
  return c.detectedAt === null || stop.at < c.detectedAt;
}

/** Building resumed after the stop: a later repeat 图斑, or a failed recheck after it. */
export function resumedAfterStop(c: ScorecardCase): boolean {
  const s = c.state;
  if (!s?.stop) return false;
  return c.repeatedBy.length > 0 || s.rechecks.some((r) => !r.passed && r.at > s.stop!.at);
}

export function scorecards(
  cases: readonly ScorecardCase[],
  patrols: readonly UnitPatrol[],
  opts: {
    now: string;
    unitLength: number;
    units: readonly string[];
    configOf: (province: string) => OversightConfig;
  },
): Scorecard[] {
  const byUnit = new Map<string, ScorecardCase[]>(opts.units.map((u) => [u, []]));
  for (const c of cases) byUnit.get(c.jurisdictionCode.slice(0, opts.unitLength))?.push(c);
  const patrolOf = new Map(patrols.map((p) => [p.unit, p.rates]));
  const cards = [...byUnit.entries()].map(([unit, list]): Scorecard => {
    const verify = list.flatMap((c) =>
      (c.state?.deadlines ?? []).filter((d) => d.kind === 'verify'),
    );
    const due = verify.filter((d) => d.doneAt || d.dueAt < opts.now);
    const checked = list.filter((c) => c.state?.spotChecks.length);
    const stopped = list.filter((c) => c.state?.stop);
    const rates = patrolOf.get(unit) ?? [];
    const components: Record<ScoreComponent, ComponentValue> = {
      patrol: rates.length
        ? {
            count: rates.length,
            of: rates.length,
            value: Math.round((rates.reduce((a, b) => a + b, 0) / rates.length) * 1000) / 1000,
          }
        : { count: 0, of: 0, value: null },
      verifyOnTime: value(due.filter((d) => d.doneAt && d.doneAt <= d.dueAt).length, due.length),
      notOverturned: value(
        checked.filter((c) => c.state!.spotChecks.every((f) => f.upheld)).length,
        checked.length,
      ),
      earlyStop: value(stopped.filter(stoppedBeforeDetection).length, stopped.length),
      notResumed: value(stopped.filter((c) => !resumedAfterStop(c)).length, stopped.length),
    };
    const weights = opts.configOf(unit.slice(0, 2)).scorecard.weights;
    let sum = 0;
    let total = 0;
    for (const k of SCORE_COMPONENTS) {
      const v = components[k].value;
      if (v === null) continue;
      sum += weights[k] * v;
      total += weights[k];
    }
    return {
      unit,
      components,
      score: total > 0 ? Math.round((sum / total) * 10000) / 100 : null,
      rank: null,
    };
  });
  const ranked = cards.filter((c) => c.score !== null).sort((a, b) => b.score! - a.score!);
  ranked.forEach((c, i) => {
    // Equal scores share a rank.
    c.rank = i > 0 && ranked[i - 1].score === c.score ? ranked[i - 1].rank : i + 1;
  });
  return cards.sort(
    (a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.unit.localeCompare(b.unit),
  );
}
