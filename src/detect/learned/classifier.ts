import type { Gbdt } from './gbdt.ts';

/**
 * A trained change classifier as stored in s2-model.json (written by `npm run train:detect`).
 * It gives every valid pixel a probability of change; the probabilities are averaged over a
 * small box (a pixel's neighbours vote: labelled change comes in blobs, isolated hits are
 * mostly co-registration noise) and the pixels above `cut` are change. What survives is then
 * cleaned by detect.ts exactly like the rule-based classes (closing, minimum mapping unit).
 */
export interface LearnedClassifier extends Gbdt {
  kind: 'gbdt-pixel';
  /**
   * Feature names at training time (features.ts: FEATURE_NAMES for four-band scenes,
   * RGB_FEATURE_NAMES for three): a model trained on other features is refused.
   */
  features: string[];
  /** Radius (pixels) of the box the probabilities are averaged over. */
  smoothRadius: number;
  /** Decision cut-off on the averaged probability of change. */
  cut: number;
  /**
   * Least change of a pixel's own spectrum (the `magnitude` feature) for it to be change,
   * whatever its neighbours say: without it the averaging and the context features paint a
   * one- or two-pixel rim of unchanged ground around every change (OSCD's coarse labels
   * teach that rim), which inflates a 图斑's area. The shipped 0.35 leaves OSCD's held-out
   * F1 as it was and halves the cost again (src/detect/README.md).
   */
  magnitudeFloor: number;
  /**
   * The cascade's bar (cascade.ts): a pixel whose CVA z² is under this share of the scene's
   * rule threshold is not change and skips the features and trees. Absent: no cascade.
   */
  cascade?: number;
  /** How it was trained (cities, options): provenance, not used at run time. */
  trainedOn: string[];
  options: Record<string, number>;
  /**
   * The training dates' radiometric statistics (src/detect/domain.ts), for the run's
   * in-domain indicator; written by `npm run domain:detect`.
   */
  domain?: DomainReference;
}

/** Statistics of the training dates, stored with a shipped model. */
export interface DomainReference {
  /** Statistic names, in `mean`/`sd` order: ln_median_blue … ln_spread_nir. */
  stats: string[];
  mean: number[];
  sd: number[];
  /** Training dates the statistics come from. */
  dates: number;
  /** The largest distance of a training date itself (how far "in-domain" reaches). */
  maxTraining: number;
}
