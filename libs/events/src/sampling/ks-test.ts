/**
 * One-sample Kolmogorov-Smirnov test against a continuous CDF. The p-value uses the
 * asymptotic Kolmogorov distribution with Stephens' small-sample correction.
 */
export function ksTest(samples: ArrayLike<number>, cdf: (x: number) => number): { statistic: number; pValue: number } {
  const x = Array.from(samples).sort((a, b) => a - b);
  const n = x.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(x[i]);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  const sn = Math.sqrt(n);
  const lambda = (sn + 0.12 + 0.11 / sn) * d;
  let p = 0;
  for (let j = 1; j <= 100; j++) p += 2 * (j % 2 ? 1 : -1) * Math.exp(-2 * j * j * lambda * lambda);
  return { statistic: d, pValue: Math.min(1, Math.max(0, p)) };
}

export const exponentialCdf = (x: number) => (x <= 0 ? 0 : 1 - Math.exp(-x));
