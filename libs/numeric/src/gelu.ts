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
