/**
 * Reproducible spot checks (抽查) of a period's verdicts, stratified by county and verdict so
 * every county and every kind of verdict is re-examined (as INPE checks DETER on a stratified
 * sample). The draw is seeded and the seed is recorded with the sample: anyone can redraw it
 * and get the same polygons, so the sample cannot be quietly chosen by hand.
 *
 * Each stratum has its own generator seeded from SHA-256(seed, county, verdict), so adding a
 * county to the period changes no other county's sample; items are sorted by id first, so the
 * order the database returns them in does not matter. The generator is xoroshiro128+ with
 * unbiased integer ranges from `pure-rand` (pinned: a new version could change the sequence).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { GengbaoError } from '../errors.ts';
import { parseOrThrow } from './validate.ts';

export const SPOTCHECK_ALGORITHM =
  'stratified-fisher-yates/xoroshiro128plus(pure-rand 8.4.2)/seed=sha256(seed,county,verdict)[0..4]';

export interface SpotCheckItem {
  id: string;
  countyCode: string;
  /** The verdict category (or category/reason) the stratum is drawn by. */
  verdict: string;
}

const PlanSchema = z.object({
  /** Share of each stratum to draw, 0 < rate ≤ 1. */
  rate: z.number().gt(0).max(1),
  /** At least this many per stratum (or the whole stratum when smaller). */
  minPerStratum: z.int().min(0),
  /** Recorded with the sample; generate it at the edge (e.g. 16 random bytes as hex). */
  seed: z.string().min(8, 'at least 8 characters of seed'),
});
export type SpotCheckPlan = z.infer<typeof PlanSchema>;

export interface SpotCheckStratum {
  countyCode: string;
  verdict: string;
  population: number;
  ids: string[];
}

export interface SpotCheckSample extends SpotCheckPlan {
  algorithm: string;
  population: number;
  strata: SpotCheckStratum[];
  /** Every sampled id, stratum by stratum. */
  ids: string[];
}

/** How many to draw from a stratum of `n`: ⌈rate·n⌉, at least the minimum, at most n. */
export function stratumSize(n: number, rate: number, minPerStratum: number): number {
  // The epsilon keeps 0.1 × 30 = 3.0000000000000004 from rounding up to 4.
  return Math.min(n, Math.max(minPerStratum, Math.ceil(rate * n - 1e-9)));
}

/**
 * Draws the stratified sample. Same items and plan → same sample, whatever the input order.
 * @example drawSpotCheck(verdicts, { rate: 0.05, minPerStratum: 2, seed: 'a3f9…' }).ids
 */
export function drawSpotCheck(
  items: readonly SpotCheckItem[],
  plan: SpotCheckPlan,
): SpotCheckSample {
  const p = parseOrThrow(PlanSchema, plan, 'spot-check plan');
  const byStratum = new Map<string, SpotCheckItem[]>();
  const seen = new Set<string>();
  for (const it of items) {
    if (seen.has(it.id))
      throw new GengbaoError('bad_input', `item ${it.id} appears twice`, { field: 'id' });
    seen.add(it.id);
    const key = JSON.stringify([it.countyCode, it.verdict]);
    const list = byStratum.get(key) ?? [];
    list.push(it);
    byStratum.set(key, list);
  }
  const strata: SpotCheckStratum[] = [...byStratum.keys()].sort(byCodeUnits).map((key) => {
    const [countyCode, verdict] = JSON.parse(key) as [string, string];
    const ids = byStratum
      .get(key)!
      .map((x) => x.id)
      .sort(byCodeUnits);
    return {
      countyCode,
      verdict,
      population: ids.length,
      ids: draw(ids, stratumSize(ids.length, p.rate, p.minPerStratum), p.seed, countyCode, verdict),
    };
  });
  return {
    ...p,
    algorithm: SPOTCHECK_ALGORITHM,
    population: items.length,
    strata,
    ids: strata.flatMap((s) => s.ids),
  };
}

/** The first k of a seeded partial Fisher–Yates shuffle of `ids` (Knuth, TAOCP vol. 2, 3.4.2). */
function draw(ids: string[], k: number, seed: string, county: string, verdict: string): string[] {
  const digest = createHash('sha256').update(`${seed}\u0000${county}\u0000${verdict}`).digest();
  const rng = xoroshiro128plus(digest.readInt32BE(0));
  const a = [...ids];
  for (let i = 0; i < k; i++) {
    const j = uniformInt(rng, i, a.length - 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, k);
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
