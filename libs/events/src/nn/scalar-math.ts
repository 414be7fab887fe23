/** log(1 + e^x) without overflow (the fused ops' softplus on doubles). */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/**
 * erf by Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7): the formula of
 * tfjs-cpu's Erf kernel, so the fused ops and the tfjs-op references agree.
 */
export function erf(x: number): number {
  const v = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * v);
  const r =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-v * v);
  return Math.sign(x) * r;
}
