/**
 * Complex roots of c_0 + c_1 z + ... + c_n z^n (ascending real coefficients; trailing zeros
 * dropped), as [re, im] pairs, by the Aberth-Ehrlich simultaneous iteration. R uses the
 * Jenkins-Traub algorithm (`polyroot`); ARIMA needs the roots only to compare their moduli
 * with 1 and to reflect MA roots, where any accurate method gives the same answer.
 */
export function polynomialRoots(coefficients: ArrayLike<number>): Array<[number, number]> {
  let n = coefficients.length - 1;
  while (n > 0 && coefficients[n] === 0) n--;
  if (n <= 0) return [];
  const lead = coefficients[n];
  const c = Float64Array.from({ length: n + 1 }, (_, i) => coefficients[i] / lead);
  // start on a circle of the Cauchy bound's radius, off the real axis
  let radius = 0;
  for (let i = 0; i < n; i++) radius = Math.max(radius, Math.abs(c[i]));
  radius = Math.min(1 + radius, 1e6);
  const re = Float64Array.from({ length: n }, (_, k) => radius * Math.cos((2 * Math.PI * k) / n + 0.4));
  const im = Float64Array.from({ length: n }, (_, k) => radius * Math.sin((2 * Math.PI * k) / n + 0.4));
  for (let iter = 0; iter < 500; iter++) {
    let moved = 0;
    for (let k = 0; k < n; k++) {
      // p(z) and p'(z) by Horner in complex arithmetic
      let pr = c[n];
      let pi = 0;
      let dr = 0;
      let di = 0;
      for (let i = n - 1; i >= 0; i--) {
        const ndr = dr * re[k] - di * im[k] + pr;
        const ndi = dr * im[k] + di * re[k] + pi;
        dr = ndr;
        di = ndi;
        const npr = pr * re[k] - pi * im[k] + c[i];
        const npi = pr * im[k] + pi * re[k];
        pr = npr;
        pi = npi;
      }
      // ratio = p / p'
      const dd = dr * dr + di * di;
      if (dd === 0) continue;
      const rr = (pr * dr + pi * di) / dd;
      const ri = (pi * dr - pr * di) / dd;
      // sum over other roots of 1 / (z_k - z_j)
      let sr = 0;
      let si = 0;
      for (let j = 0; j < n; j++) {
        if (j === k) continue;
        const xr = re[k] - re[j];
        const xi = im[k] - im[j];
        const xx = xr * xr + xi * xi;
        sr += xr / xx;
        si += -xi / xx;
      }
      // w = ratio / (1 - ratio * sum)
      const denr = 1 - (rr * sr - ri * si);
      const deni = -(rr * si + ri * sr);
      const den = denr * denr + deni * deni;
      const wr = (rr * denr + ri * deni) / den;
      const wi = (ri * denr - rr * deni) / den;
      re[k] -= wr;
      im[k] -= wi;
      moved = Math.max(moved, Math.hypot(wr, wi) / Math.max(1, Math.hypot(re[k], im[k])));
    }
    if (moved < 1e-14) break;
  }
  return Array.from({ length: n }, (_, k) => [re[k], im[k]] as [number, number]);
}
