import { erf } from './special-functions';
import { fastExp } from './fast-math';

/**
 * GELU in its two forms, as scalars for the fused ops' inner loops: the exact one,
 * x Phi(x) (SpaceTime), and the tanh approximation 0.5 x (1 + tanh(c (x + a x^3)))
 * (the transformer encoders), whose tanh the callers compute in bulk (wasm or native),
 * so it comes in three steps: the tanh's argument, the value and the derivative given it.
 */

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** x Phi(x), Phi the standard normal CDF. */
export function gelu(x: number): number {
  return 0.5 * x * (1 + erf(x * Math.SQRT1_2));
}

/** d/dx of x Phi(x) = Phi(x) + x phi(x). */
export function geluDerivative(x: number): number {
  return 0.5 * (1 + erf(x * Math.SQRT1_2)) + x * INV_SQRT_2PI * fastExp(-0.5 * x * x);
}

/** c = sqrt(2 / pi) and a of the tanh approximation. */
export const GELU_TANH_C = Math.sqrt(2 / Math.PI);
export const GELU_TANH_A = 0.044715;

/** The tanh approximation's inner argument c (x + a x^3). */
export function geluTanhArgument(x: number): number {
  return GELU_TANH_C * (x + GELU_TANH_A * x * x * x);
}

/** The tanh approximation's value given th = tanh(geluTanhArgument(x)). */
export function geluTanhValue(x: number, th: number): number {
  return 0.5 * x * (1 + th);
}

/** The tanh approximation's derivative given th = tanh(geluTanhArgument(x)). */
export function geluTanhDerivative(x: number, th: number): number {
  return 0.5 * (1 + th) + 0.5 * x * (1 - th * th) * GELU_TANH_C * (1 + 3 * GELU_TANH_A * x * x);
}

// module-level references: inside a loop over millions of elements, a call through an
// imported binding is a property read on the other module's exports (a getter after
// transpiling to CommonJS) that V8 does not always fold away
const exp = fastExp;
const ERF_P = 0.3275911;

/**
 * x Phi(x) and its derivative Phi(x) + x phi(x) over x[from, to), with one exponential per
 * element for both (erf's exp(-(x / sqrt 2)^2) is phi's exp(-x^2 / 2)): `out` and `der`
 * (either may be null) receive them at the same indices. The arithmetic of gelu and erf
 * (Abramowitz and Stegun 7.1.26) step by step, so values equal gelu(x[i]) exactly and
 * derivatives geluDerivative(x[i]) to a double's rounding.
 */
export function geluArrays(
  x: ArrayLike<number>,
  out: Float32Array | null,
  der: Float32Array | null,
  from = 0,
  to = x.length,
): void {
  for (let i = from; i < to; i++) {
    const xi = x[i];
    const s = xi * Math.SQRT1_2;
    const v = s < 0 ? -s : s;
    const t = 1 / (1 + ERF_P * v);
    const e = exp(-v * v);
    const r =
      1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * e;
    const erfv = s > 0 ? r : s < 0 ? -r : s;
    const phiCdf = 0.5 * (1 + erfv);
    if (out) out[i] = 0.5 * xi * (1 + erfv);
    if (der) der[i] = phiCdf + xi * INV_SQRT_2PI * e;
  }
}
