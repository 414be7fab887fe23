import { HawkesParams } from './hawkes-params';

/**
 * Per-type Hawkes intensities at time t given a history (events strictly before t count).
 * O(history * K); used where a reference value is needed (tests, the ground-truth model).
 */
export function hawkesIntensity(p: HawkesParams, times: ArrayLike<number>, types: ArrayLike<number>, t: number): number[] {
  const K = p.mu.length;
  const out = p.mu.slice();
  for (let i = 0; i < times.length; i++) {
    const s = t - times[i];
    if (!(s > 0)) continue;
    const l = types[i];
    for (let k = 0; k < K; k++) out[k] += p.alpha[k][l] * Math.exp(-p.beta[k][l] * s);
  }
  return out;
}

/** Compensator: integral of sum_k lambda_k over (a, b], history = events before a (and those in (a, b) too). */
export function hawkesCompensator(p: HawkesParams, times: ArrayLike<number>, types: ArrayLike<number>, a: number, b: number): number {
  const K = p.mu.length;
  let total = 0;
  for (let k = 0; k < K; k++) total += p.mu[k] * (b - a);
  for (let i = 0; i < times.length; i++) {
    const ti = times[i];
    if (ti >= b) continue;
    const l = types[i];
    const from = Math.max(a, ti);
    for (let k = 0; k < K; k++) {
      const be = p.beta[k][l];
      total += (p.alpha[k][l] / be) * (Math.exp(-be * (from - ti)) - Math.exp(-be * (b - ti)));
    }
  }
  return total;
}
