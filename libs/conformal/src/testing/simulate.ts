import { Rng } from '../random/rng';

/**
 * AR(1) with ARCH(1) noise: y_t = phi y_{t-1} + e_t, e_t = sigma_t z_t,
 * sigma_t^2 = omega + a e_{t-1}^2, z_t ~ N(0, 1). The noise is heteroscedastic and its
 * scale is predictable from past residuals: the case SPCI is built for.
 */
export function simulateArArch(n: number, seed: number, phi = 0.6, omega = 0.1, a = 0.85): Float64Array {
  const rng = new Rng(seed);
  const y = new Float64Array(n);
  let e = 0;
  let prev = 0;
  for (let t = 0; t < n + 200; t++) {
    const sigma = Math.sqrt(omega + a * e * e);
    e = sigma * rng.normal();
    prev = phi * prev + e;
    if (t >= 200) y[t - 200] = prev;
  }
  return y;
}
