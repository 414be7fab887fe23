/**
 * Piecewise-linear interpolation of points (times[i], values[i]) at the times `at`: between
 * two known points the straight line through them, before the first and after the last the
 * nearest known value (no extrapolated trend). `times` strictly increasing; `at` in any order.
 * Fills the gaps of an irregularly sampled series back onto its regular grid, so that a model
 * that reads equally spaced steps can be fitted on it.
 */
export function interpolateLinear(
  times: ArrayLike<number>,
  values: ArrayLike<number>,
  at: ArrayLike<number>,
): Float64Array {
  const n = times.length;
  if (n === 0 || values.length !== n)
    throw new Error(
      `interpolateLinear needs one value per time and at least one point (${n} times, ${values.length} values)`,
    );
  const out = new Float64Array(at.length);
  for (let k = 0; k < at.length; k++) {
    const t = at[k];
    if (t <= times[0]) out[k] = values[0];
    else if (t >= times[n - 1]) out[k] = values[n - 1];
    else {
      // the last known time at or before t (binary search: times[lo] <= t < times[hi])
      let lo = 0;
      let hi = n - 1;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (times[mid] <= t) lo = mid;
        else hi = mid;
      }
      const w = (t - times[lo]) / (times[hi] - times[lo]);
      out[k] = values[lo] + w * (values[hi] - values[lo]);
    }
  }
  return out;
}
