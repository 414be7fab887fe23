/**
 * Whether every root of c_0 + c_1 z + ... + c_d z^d (real coefficients, c_d != 0) has
 * modulus at most `radius`, by the Schur-Cohn step-down on p(radius z): the roots of a
 * polynomial are all strictly inside the unit circle iff |c_0| < |c_d| and those of
 * (c_d p(z) - c_0 z^d p(1/z)) / z are. O(d^2) and exact up to rounding, where a root
 * finder would iterate.
 */
export function rootsWithin(coefficients: ArrayLike<number>, radius: number): boolean {
  let c = Array.from(coefficients, (v, k) => v * radius ** k);
  while (c.length > 1 && c[c.length - 1] === 0) c.pop();
  while (c.length > 1) {
    const d = c.length - 1;
    const c0 = c[0];
    const cd = c[d];
    if (Math.abs(c0) >= Math.abs(cd)) return false;
    const next = new Array<number>(d);
    for (let k = 0; k < d; k++) next[k] = cd * c[k + 1] - c0 * c[d - k - 1];
    // rescale: the step-down multiplies coefficients by ~|c_d|^2 each round
    const scale = Math.max(...next.map(Math.abs)) || 1;
    c = next.map((v) => v / scale);
  }
  return true;
}
