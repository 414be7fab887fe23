/**
 * Whether every root of c_0 + c_1 z + ... + c_d z^d (real coefficients, c_d != 0) has
 * modulus at most `radius`, by the Schur-Cohn step-down on p(radius z): the roots of a
 * polynomial are all strictly inside the unit circle iff |c_0| < |c_d| and those of
 * (c_d p(z) - c_0 z^d p(1/z)) / z are. O(d^2) and exact up to rounding, where a root
 * finder would iterate.
 */
export function rootsWithin(coefficients: ArrayLike<number>, radius: number): boolean {
  // two module buffers swapped each round, allocated once: this runs at every likelihood
  // evaluation of a seasonal ETS (the loop below is synchronous, so nothing else uses them)
  if (scratchA.length < coefficients.length) {
    scratchA = new Float64Array(coefficients.length);
    scratchB = new Float64Array(coefficients.length);
  }
  let c = scratchA;
  let next = scratchB;
  let power = 1;
  for (let k = 0; k < c.length; k++, power *= radius) c[k] = coefficients[k] * power;
  let d = coefficients.length - 1;
  while (d > 0 && c[d] === 0) d--;
  for (; d > 0; d--) {
    const c0 = c[0];
    const cd = c[d];
    if (Math.abs(c0) >= Math.abs(cd)) return false;
    // rescaled by the largest coefficient: the step-down multiplies them by ~|c_d|^2 each round
    let scale = 0;
    for (let k = 0; k < d; k++) {
      next[k] = cd * c[k + 1] - c0 * c[d - k - 1];
      scale = Math.max(scale, Math.abs(next[k]));
    }
    const inv = scale === 0 ? 1 : 1 / scale;
    for (let k = 0; k < d; k++) next[k] *= inv;
    const done = c;
    c = next;
    next = done;
  }
  return true;
}

let scratchA = new Float64Array(16);
let scratchB = new Float64Array(16);
