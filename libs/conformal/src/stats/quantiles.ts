/**
 * Quantiles used by the calibrators. Three definitions, each where its method needs it:
 * the linear-interpolation empirical quantile (numpy's default, what the SPCI reference's
 * EnbPI uses: `quantile` of @seqcast/numeric), the conformal order statistic with the
 * (n + 1) correction (split conformal, ACI), and the weighted empirical quantile of a
 * quantile regression forest.
 */

/** Ascending copy as Float64Array. */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/**
 * The split-conformal quantile of ascending scores: the ceil((n + 1)(1 - alpha))-th smallest.
 * Infinity when that rank exceeds n (too few scores for the level: the honest answer), and
 * -Infinity when alpha >= 1 (the empty set).
 */
export function conformalQuantile(sorted: ArrayLike<number>, alpha: number): number {
  const n = sorted.length;
  const k = Math.ceil((n + 1) * (1 - alpha) - 1e-12);
  if (k > n) return Infinity;
  if (k < 1) return -Infinity;
  return sorted[k - 1];
}

/**
 * Quantiles of a weighted sample: the smallest value v with F(v) >= q, F the weighted
 * empirical CDF (the inverse-CDF definition Meinshausen's QRF uses). `values` need not be
 * sorted; zero weights are ignored. Returns one value per entry of `qs`.
 */
export function weightedQuantiles(
  values: ArrayLike<number>,
  weights: ArrayLike<number>,
  qs: readonly number[],
): number[] {
  const idx: number[] = [];
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    if (weights[i] > 0) {
      idx.push(i);
      total += weights[i];
    }
  }
  if (idx.length === 0) return qs.map(() => NaN);
  idx.sort((a, b) => values[a] - values[b]);
  const order = qs.map((q, k) => [q, k] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(qs.length);
  let cum = 0;
  let j = 0;
  const tol = 1e-12 * total;
  for (const [q, k] of order) {
    const target = q * total - tol;
    while (j < idx.length - 1 && cum + weights[idx[j]] < target) {
      cum += weights[idx[j]];
      j++;
    }
    out[k] = values[idx[j]];
  }
  return out;
}

/** linspace(start, stop, num) inclusive of both ends, as numpy. */
export function linspace(start: number, stop: number, num: number): number[] {
  if (num === 1) return [start];
  return Array.from({ length: num }, (_, i) => start + ((stop - start) * i) / (num - 1));
}
