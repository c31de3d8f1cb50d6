/**
 * Automatic thresholds on a histogram (counts per equal-width bin). Both return the bin
 * index t such that "changed" means bin > t; callers map bins back to values.
 */

/**
 * Otsu (1979): maximise the between-class variance. Good when both classes hold comparable
 * shares of the histogram; on change magnitude (few changed pixels) it tends to cut too low.
 */
export function otsuBin(hist: ArrayLike<number>): number {
  let total = 0;
  let sum = 0;
  for (let i = 0; i < hist.length; i++) {
    total += hist[i];
    sum += i * hist[i];
  }
  let w0 = 0;
  let s0 = 0;
  let best = -1;
  let bestT = 0;
  for (let t = 0; t < hist.length - 1; t++) {
    w0 += hist[t];
    s0 += t * hist[t];
    const w1 = total - w0;
    if (w0 === 0 || w1 === 0) continue;
    const m0 = s0 / w0;
    const m1 = (sum - s0) / w1;
    const between = w0 * w1 * (m0 - m1) ** 2;
    if (between > best) {
      best = between;
      bestT = t;
    }
  }
  return bestT;
}

/**
 * Kittler & Illingworth (1986) minimum-error thresholding: fit two Gaussians and minimise
 * J(t) = 1 + 2[P0 ln σ0 + P1 ln σ1] − 2[P0 ln P0 + P1 ln P1]. Unlike Otsu it copes with very
 * unequal class sizes, which is why Bazi, Bruzzone & Melgani (2005) use it on change-vector
 * magnitude, where changed pixels are a few percent.
 */
export function kittlerIllingworthBin(hist: ArrayLike<number>): number {
  const n = hist.length;
  const c = new Float64Array(n + 1);
  const s = new Float64Array(n + 1);
  const q = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    c[i + 1] = c[i] + hist[i];
    s[i + 1] = s[i] + i * hist[i];
    q[i + 1] = q[i] + i * i * hist[i];
  }
  const total = c[n];
  let best = Infinity;
  let bestT = otsuBin(hist);
  for (let t = 0; t < n - 1; t++) {
    const p0 = c[t + 1];
    const p1 = total - p0;
    if (p0 < 2 || p1 < 2) continue;
    const m0 = s[t + 1] / p0;
    const m1 = (s[n] - s[t + 1]) / p1;
    const v0 = q[t + 1] / p0 - m0 * m0;
    const v1 = (q[n] - q[t + 1]) / p1 - m1 * m1;
    if (v0 <= 1e-9 || v1 <= 1e-9) continue;
    const P0 = p0 / total;
    const P1 = p1 / total;
    const j =
      1 + P0 * Math.log(v0) + P1 * Math.log(v1) - 2 * (P0 * Math.log(P0) + P1 * Math.log(P1));
    if (j < best) {
      best = j;
      bestT = t;
    }
  }
  return bestT;
}

/** Histogram of `values` over [lo, hi) in `bins` equal bins (values outside are clamped). */
export function histogram(
  values: ArrayLike<number>,
  lo: number,
  hi: number,
  bins: number,
): Float64Array {
  const h = new Float64Array(bins);
  const k = bins / (hi - lo);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    const b = Math.min(bins - 1, Math.max(0, Math.floor((v - lo) * k)));
    h[b]++;
  }
  return h;
}

/**
 * The q-quantile (0..1) of `values` (the element of rank ⌊q·(n−1)⌋), by quickselect
 * (Hoare 1961) on a copy: O(n) where sorting would be O(n log n), and the detector asks for
 * dozens of quantiles of a quarter-million-pixel sample.
 */
export function quantile(values: Float32Array | Float64Array, q: number): number {
  const n = values.length;
  if (n === 0) return NaN;
  const a = Float64Array.from(values);
  const k = Math.min(n - 1, Math.max(0, Math.floor(q * (n - 1))));
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k];
}
