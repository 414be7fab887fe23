/**
 * Intercept and slope of the least-squares line through (t, y_t), t = first, first + 1, ...
 * (lsfit(first:(n - 1 + first), y) in R); slope 0 for a single point.
 */
export function leastSquaresLine(y: ArrayLike<number>, first: number): { intercept: number; slope: number } {
  const n = y.length;
  const tBar = first + (n - 1) / 2;
  let yBar = 0;
  for (let i = 0; i < n; i++) yBar += y[i];
  yBar /= n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (first + i - tBar) * (y[i] - yBar);
    sxx += (first + i - tBar) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  return { intercept: yBar - slope * tBar, slope };
}
