import type { Offsets } from './base-calibrator';

/**
 * Nested levels by the union rule: the band of a level is the union (here: the hull) of its
 * own band and the bands of every narrower level asked for (larger alpha). Each method fits
 * its levels separately (EnbPI's and SPCI's beta search picks a different tail split per
 * level, ACI's alpha_t of two levels drift apart), so a 95% band need not contain the 90%
 * one; widening only ever adds coverage, so each level keeps its own guarantee and
 * lower(95) <= lower(90) <= upper(90) <= upper(95) holds by construction. An empty band
 * (lower > upper, ACI with alpha_t >= 1 and no clipping) contributes nothing to the hull.
 */
export function nestByUnion(alphas: readonly number[], offsets: Offsets[]): Offsets[] {
  const order = alphas.map((a, k) => k).sort((i, j) => alphas[j] - alphas[i]);
  const out = offsets.map((o) => ({ ...o }));
  let lower = Infinity;
  let upper = -Infinity;
  for (const k of order) {
    const o = out[k];
    if (o.lower <= o.upper) {
      lower = Math.min(lower, o.lower);
      upper = Math.max(upper, o.upper);
    }
    // the hull of everything up to this level (an empty band stays empty when nothing narrower exists)
    if (lower <= upper) {
      o.lower = lower;
      o.upper = upper;
    }
  }
  return out;
}
