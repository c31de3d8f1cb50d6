/**
 * The re-check of a rectification on later imagery (docs/DOMAIN.md "Re-check on later
 * imagery"): what the 图斑 looks like on the new date, against the violation date and the
 * before date, decided from three measurements the detector makes on the 图斑's window
 * (recheck.ts). Pure: numbers in, a verdict and its reasons out; the thresholds are
 * configuration (`RecheckConfig`), never per scene.
 */

/** What a re-check concludes about the ground inside the 图斑. */
export const RECHECK_OUTCOMES = ['restored', 'not_restored', 'resumed', 'inconclusive'] as const;
export type RecheckOutcome = (typeof RECHECK_OUTCOMES)[number];

/**
 * The three detector passes on the 图斑's window, each as shares of the 图斑's pixels:
 * - `gone`: now → violation. The detector looks for farmland turned built or bare from the
 *   first date to the second; run from the new date to the violation date it finds the
 *   building where the new date shows none — the building is gone.
 * - `residual`: before → now. What is still changed since before the violation: a restored
 *   site looks like the before date again.
 * - `grownM2`: violation → now, pixels turned built in the 图斑 and a ring around it (m²):
 *   construction since the violation — resumed inside, or extended beyond.
 */
export interface RecheckMeasures {
  /** Pixels of the 图斑 on the working grid. */
  polygonPixels: number;
  /** Share of them readable on the new date (not nodata, not masked as cloud or shadow). */
  validShare: number;
  gone: number;
  residual: number;
  grownM2: number;
  /** The 图斑's area (m²), for the relative growth threshold. */
  polygonM2: number;
}

export interface RecheckConfig {
  /** Below this share of readable pixels the new date cannot say (clouds, edge of the scene). */
  minValidShare: number;
  /** At least this share of the 图斑 must read as "gone" on the new date to call it restored. */
  restoredMinGone: number;
  /** … and at most this share may still differ from the before date. */
  restoredMaxResidual: number;
  /** Growth since the violation counts as resumed / extended from this many m² … */
  resumedMinM2: number;
  /** … and this share of the 图斑's own area, whichever is larger. */
  resumedMinShare: number;
  /** Width (m) of the ring around the 图斑 where an extension is looked for. */
  ringM: number;
}

/**
 * The defaults, and why:
 * - `restoredMinGone` 0.5: the detector outlines a building with a pixel or two of error at
 *   its edges (pixel-edge polygons, the MMU and morphology): a demolished building of a few
 *   pixels a side never reads 100 % gone. On the synthetic restorations (eval:recheck) a
 *   demolished site reads 0.7–1.0 gone and a standing one 0.0–0.1; half is the midpoint that
 *   keeps both margins.
 * - `restoredMaxResidual` 0.5: the same margin against the before date: rubble or bare soil
 *   left where the building stood reads as `bare` change from the before date's crop; more
 *   than half the 图斑 still changed is not "returned to farming".
 * - `resumedMinM2` 200 m² and `resumedMinShare` 0.2: one 10 m Sentinel-2 pixel is 100 m², so two
 *   pixels of noise never make an alert; a fifth of the 图斑 is the extension a county would
 *   send someone out for (a new wing, a yard walled in). Smaller growth stays "not restored".
 * - `ringM` 30 m: three Sentinel-2 pixels, sixty 0.5 m pixels — an extension is built against
 *   the stopped building, not across the village.
 * - `minValidShare` 0.6: with less than this of the 图斑 readable the shares above move by more
 *   than their margins on a single pixel class.
 */
export const DEFAULT_RECHECK_CONFIG: RecheckConfig = {
  minValidShare: 0.6,
  restoredMinGone: 0.5,
  restoredMaxResidual: 0.5,
  resumedMinM2: 200,
  resumedMinShare: 0.2,
  ringM: 30,
};

export interface RecheckVerdict {
  outcome: RecheckOutcome;
  /** One line per test that decided it, Chinese first (the record shows it as it is). */
  reasons: string[];
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/**
 * The verdict. Growth is looked at first: a site both partly cleared and extended elsewhere is
 * not restored, and building after a stop is what the county must hear of at once.
 * @example decideRecheck({ polygonPixels: 100, validShare: 1, gone: 0.9, residual: 0.1, grownM2: 0, polygonM2: 1e4 }).outcome // 'restored'
 */
export function decideRecheck(
  m: RecheckMeasures,
  config: RecheckConfig = DEFAULT_RECHECK_CONFIG,
): RecheckVerdict {
  if (m.polygonPixels === 0 || m.validShare < config.minValidShare)
    return {
      outcome: 'inconclusive',
      reasons: [
        `新影像可读像元 ${pct(m.validShare)}，低于 ${pct(config.minValidShare)} / only ${pct(m.validShare)} of the 图斑 readable on the new date (clouds, nodata or the scene's edge)`,
      ],
    };
  const growthFloor = Math.max(config.resumedMinM2, config.resumedMinShare * m.polygonM2);
  if (m.grownM2 >= growthFloor)
    return {
      outcome: 'resumed',
      reasons: [
        `违法时点后新增建设 ${Math.round(m.grownM2)} m²（阈值 ${Math.round(growthFloor)} m²）/ ${Math.round(m.grownM2)} m² built since the violation date in the 图斑 and ${config.ringM} m around it (threshold ${Math.round(growthFloor)} m²)`,
      ],
    };
  const goneOk = m.gone >= config.restoredMinGone;
  const residualOk = m.residual <= config.restoredMaxResidual;
  if (goneOk && residualOk)
    return {
      outcome: 'restored',
      reasons: [
        `与违法时点相比 ${pct(m.gone)} 已无建设 / ${pct(m.gone)} of the 图斑 no longer shows the building of the violation date`,
        `与前时相相比仍有变化 ${pct(m.residual)} / ${pct(m.residual)} still differs from the before date`,
      ],
    };
  return {
    outcome: 'not_restored',
    reasons: [
      goneOk
        ? `与违法时点相比 ${pct(m.gone)} 已无建设，但与前时相相比仍有 ${pct(m.residual)} 变化（上限 ${pct(config.restoredMaxResidual)}）/ the building is gone from ${pct(m.gone)} but ${pct(m.residual)} still differs from the before date (at most ${pct(config.restoredMaxResidual)})`
        : `与违法时点相比仅 ${pct(m.gone)} 已无建设（须 ${pct(config.restoredMinGone)}）/ only ${pct(m.gone)} of the 图斑 no longer shows the building (at least ${pct(config.restoredMinGone)} needed)`,
    ],
  };
}
