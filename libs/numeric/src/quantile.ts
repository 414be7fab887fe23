/**
 * Linear-interpolation quantile of ascending `sorted` at q in [0, 1] (numpy's default,
 * 'linear': position (n - 1) q between the order statistics). NaN when empty; q outside
 * [0, 1] is clamped to the extremes.
 */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (q <= 0) return sorted[0];
  if (q >= 1) return sorted[n - 1];
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
