/**
 * Direct O(n^2) transforms and convolutions in float64, from their definitions, for the FFT
 * specs at lengths up to a few thousand (oracles.ts's naiveDft calls cos and sin per term,
 * too slow there): the angles 2 pi j / n come from one table per length, indexed by
 * k t mod n, which is exact integer arithmetic. Nothing here is shared with the kernels.
 */
export class DirectDft {
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;

  constructor(readonly n: number) {
    this.cos = new Float64Array(n);
    this.sin = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      this.cos[j] = Math.cos((2 * Math.PI * j) / n);
      this.sin[j] = Math.sin((2 * Math.PI * j) / n);
    }
  }

  /** X_k = sum_t x_t e^{sign 2 pi i k t / n}, k < bins (sign -1: forward). */
  complex(re: ArrayLike<number>, im: ArrayLike<number>, sign: 1 | -1, bins = this.n): [Float64Array, Float64Array] {
    const n = this.n;
    const outRe = new Float64Array(bins);
    const outIm = new Float64Array(bins);
    for (let k = 0; k < bins; k++) {
      let sr = 0;
      let si = 0;
      for (let t = 0, j = 0; t < n; t++, j = (j + k) % n) {
        const c = this.cos[j];
        const s = sign * this.sin[j];
        sr += re[t] * c - im[t] * s;
        si += re[t] * s + im[t] * c;
      }
      outRe[k] = sr;
      outIm[k] = si;
    }
    return [outRe, outIm];
  }

  /** The real signal of length n whose rfft is (re, im) [n/2 + 1]: imaginary parts of DC and Nyquist drop out (sin 0). */
  inverseReal(re: ArrayLike<number>, im: ArrayLike<number>): Float64Array {
    const n = this.n;
    const bins = Math.floor(n / 2) + 1;
    const x = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      let s = 0;
      for (let k = 0, j = 0; k < bins; k++, j = (j + t) % n) {
        const weight = k === 0 || 2 * k === n ? 1 : 2;
        s += weight * (re[k] * this.cos[j] - im[k] * this.sin[j]);
      }
      x[t] = s / n;
    }
    return x;
  }
}

/** y[t] = sum_{s <= t, s < K} k[s] u[t - s], t < L. */
export function directConv(u: ArrayLike<number>, k: ArrayLike<number>): Float64Array {
  const L = u.length;
  const y = new Float64Array(L);
  for (let t = 0; t < L; t++) {
    let s = 0;
    for (let j = 0; j <= t && j < k.length; j++) s += k[j] * u[t - j];
    y[t] = s;
  }
  return y;
}

/** dL/du of sum_t g[t] y[t], y = directConv(u, k): du[t] = sum_s k[s] g[t + s]. */
export function directConvGradU(g: ArrayLike<number>, k: ArrayLike<number>): Float64Array {
  const L = g.length;
  const du = new Float64Array(L);
  for (let t = 0; t < L; t++) {
    let s = 0;
    for (let j = 0; j < k.length && t + j < L; j++) s += k[j] * g[t + j];
    du[t] = s;
  }
  return du;
}

/** dL/dk[s] of sum_t g[t] y[t] for one row, added into dk: sum_t g[t] u[t - s]. */
export function addDirectConvGradK(g: ArrayLike<number>, u: ArrayLike<number>, dk: Float64Array): void {
  const L = g.length;
  for (let s = 0; s < dk.length && s < L; s++) {
    let acc = 0;
    for (let t = s; t < L; t++) acc += g[t] * u[t - s];
    dk[s] += acc;
  }
}

export function norm2(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}
