/**
 * Classical decomposition (R's `decompose`): a centred moving average of order m as the
 * trend (weights 1/(2m) at both ends when m is even), the detrended values averaged by
 * position in the cycle as the seasonal figure, normalised to sum 0 (additive) or to mean 1
 * (multiplicative). Positions are counted from the first observation.
 */
export function classicalDecomposition(
  y: ArrayLike<number>,
  m: number,
  type: 'additive' | 'multiplicative',
): { trend: Float64Array; figure: Float64Array; seasonal: Float64Array } {
  const n = y.length;
  const trend = new Float64Array(n).fill(NaN);
  const half = Math.floor(m / 2);
  for (let t = half; t + half < n; t++) {
    let s = 0;
    if (m % 2 === 0) {
      s += 0.5 * y[t - half] + 0.5 * y[t + half];
      for (let k = -half + 1; k < half; k++) s += y[t + k];
    } else {
      for (let k = -half; k <= half; k++) s += y[t + k];
    }
    trend[t] = s / m;
  }
  const figure = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    let c = 0;
    for (let t = i; t < n; t += m) {
      if (Number.isNaN(trend[t])) continue;
      s += type === 'additive' ? y[t] - trend[t] : y[t] / trend[t];
      c++;
    }
    figure[i] = s / c;
  }
  const mean = figure.reduce((a, b) => a + b, 0) / m;
  for (let i = 0; i < m; i++) figure[i] = type === 'additive' ? figure[i] - mean : figure[i] / mean;
  const seasonal = Float64Array.from({ length: n }, (_, t) => figure[t % m]);
  return { trend, figure, seasonal };
}
