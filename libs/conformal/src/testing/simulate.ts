import { Rng } from '@seqcast/numeric';

/**
 * AR(1) with regime-switching noise scale: y_t = phi y_{t-1} + sigma_t z_t, z_t ~ N(0, 1),
 * sigma_t in {calm, volatile}, switching with probability `switchProb` per step (a Markov
 * chain, so volatility clusters). The noise is heteroscedastic and its scale is
 * predictable from recent residuals: the case SPCI is built for.
 */
export function simulateArRegimeNoise(
  n: number,
  seed: number,
  phi = 0.6,
  calm = 0.3,
  volatile = 2,
  switchProb = 0.03,
): Float64Array {
  const rng = new Rng(seed);
  const y = new Float64Array(n);
  let prev = 0;
  let regime = 0;
  for (let t = 0; t < n + 200; t++) {
    if (rng.next() < switchProb) regime = 1 - regime;
    prev = phi * prev + (regime ? volatile : calm) * rng.normalRedrawingZero();
    if (t >= 200) y[t - 200] = prev;
  }
  return y;
}
