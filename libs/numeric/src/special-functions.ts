import { fastExp } from './fast-math';

/**
 * erf by Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7): the formula of
 * tfjs-cpu's Erf kernel, so the fused ops and their tfjs-op references agree. The
 * exponential is fastExp (relative error 4e-11, far below the formula's own), which keeps
 * the inner loops free of calls into Math; the sign is odd symmetry, so erf(0) is exactly 0.
 */
export function erf(x: number): number {
  const v = x < 0 ? -x : x;
  const t = 1 / (1 + 0.3275911 * v);
  const r =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      fastExp(-v * v);
  // x itself where it is 0, -0 or NaN
  return x > 0 ? r : x < 0 ? -r : x;
}

/** The x with softplus(x) = y > 0: log(e^y - 1), without overflow or cancellation. */
export function inverseSoftplus(y: number): number {
  if (!(y > 0)) throw new RangeError(`inverseSoftplus: ${y} is not positive`);
  return y > 20 ? y + Math.log1p(-Math.exp(-y)) : Math.log(Math.expm1(y));
}

/** log(1 + e^x) without overflow. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}
