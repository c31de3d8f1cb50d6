/** Binary change-detection scores from a confusion matrix. */
export interface Scores {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  precision: number;
  recall: number;
  f1: number;
  iou: number;
  /** Cohen's kappa: agreement beyond chance. */
  kappa: number;
}

/**
 * Score a predicted mask against a truth mask (non-zero = change) on the pixels where
 * `considered` is non-zero (all pixels when omitted) — sparse references such as the Nanjing
 * masks mark only the pixels they know.
 */
export function scoreMasks(
  pred: ArrayLike<number>,
  truth: ArrayLike<number>,
  considered?: ArrayLike<number>,
): Scores {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < truth.length; i++) {
    if (considered && !considered[i]) continue;
    const p = pred[i] ? 1 : 0;
    const t = truth[i] ? 1 : 0;
    if (p && t) tp++;
    else if (p) fp++;
    else if (t) fn++;
    else tn++;
  }
  return scoresOf(tp, fp, fn, tn);
}

/** Scores of a confusion matrix; ratios with a zero denominator are 0. */
export function scoresOf(tp: number, fp: number, fn: number, tn: number): Scores {
  const div = (a: number, b: number): number => (b > 0 ? a / b : 0);
  const precision = div(tp, tp + fp);
  const recall = div(tp, tp + fn);
  const n = tp + fp + fn + tn;
  const po = div(tp + tn, n);
  const pe = div((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn), n * n);
  return {
    tp,
    fp,
    fn,
    tn,
    precision,
    recall,
    f1: div(2 * precision * recall, precision + recall),
    iou: div(tp, tp + fp + fn),
    kappa: pe < 1 ? (po - pe) / (1 - pe) : 0,
  };
}
