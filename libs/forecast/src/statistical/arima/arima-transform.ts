import type { ArimaOrder } from './arima-order';
import { polynomialRoots } from './polynomial-roots';

/**
 * Maps unconstrained values to the coefficients of a stationary AR polynomial: tanh gives
 * partial autocorrelations in (-1, 1), the Durbin-Levinson recursion turns them into AR
 * coefficients (Jones 1980; R's `partrans`). Keeps the optimiser inside the stationary region.
 */
export function toStationary(raw: ArrayLike<number>, from = 0, count = raw.length): Float64Array {
  const out = new Float64Array(count);
  const work = new Float64Array(count);
  for (let j = 0; j < count; j++) out[j] = work[j] = Math.tanh(raw[from + j]);
  for (let j = 1; j < count; j++) {
    const a = out[j];
    for (let k = 0; k < j; k++) work[k] -= a * out[j - k - 1];
    for (let k = 0; k < j; k++) out[k] = work[k];
  }
  return out;
}

/** The inverse of `toStationary` (R's `invpartrans`): the recursion backwards, then atanh. */
export function fromStationary(phi: ArrayLike<number>): Float64Array {
  const p = phi.length;
  const out = Float64Array.from(phi);
  const work = Float64Array.from(phi);
  for (let j = p - 1; j > 0; j--) {
    const a = out[j];
    for (let k = 0; k < j; k++) work[k] = (out[k] + a * out[j - k - 1]) / (1 - a * a);
    for (let k = 0; k < j; k++) out[k] = work[k];
  }
  return out.map(Math.atanh);
}

/** ARMA coefficients (ar, ma, sar, sma) with both AR blocks mapped by `toStationary` (R's `undoPars`). */
export function untransform(par: ArrayLike<number>, o: ArimaOrder): Float64Array {
  const out = Float64Array.from(par);
  if (o.p > 0) out.set(toStationary(par, 0, o.p), 0);
  if (o.P > 0) out.set(toStationary(par, o.p + o.q, o.P), o.p + o.q);
  return out;
}

/** The inverse of `untransform` on the AR blocks (R's `ARIMA_Invtrans`). */
export function transform(par: ArrayLike<number>, o: ArimaOrder): Float64Array {
  const out = Float64Array.from(par);
  if (o.p > 0) out.set(fromStationary(Array.from(par).slice(0, o.p)), 0);
  if (o.P > 0) out.set(fromStationary(Array.from(par).slice(o.p + o.q, o.p + o.q + o.P)), o.p + o.q);
  return out;
}

/**
 * The full AR and MA polynomials of a seasonal model: (1 - phi(B))(1 - Phi(B^m)) and
 * (1 + theta(B))(1 + Theta(B^m)) multiplied out (R's `ARIMA_transPars`), coefficients of
 * B^1.. only.
 */
export function expandArma(
  par: ArrayLike<number>,
  o: ArimaOrder,
): { phi: Float64Array; theta: Float64Array } {
  const m = o.m;
  const phi = new Float64Array(o.p + m * o.P);
  const theta = new Float64Array(o.q + m * o.Q);
  for (let i = 0; i < o.p; i++) phi[i] = par[i];
  for (let i = 0; i < o.q; i++) theta[i] = par[o.p + i];
  for (let j = 0; j < o.P; j++) {
    const s = par[o.p + o.q + j];
    phi[(j + 1) * m - 1] += s;
    for (let i = 0; i < o.p; i++) phi[(j + 1) * m + i] -= par[i] * s;
  }
  for (let j = 0; j < o.Q; j++) {
    const s = par[o.p + o.q + o.P + j];
    theta[(j + 1) * m - 1] += s;
    for (let i = 0; i < o.q; i++) theta[(j + 1) * m + i] += par[o.p + i] * s;
  }
  return { phi, theta };
}

/** Whether the AR polynomial 1 - a_1 z - ... has every root outside the unit circle (R's `arCheck`). */
export function arStationary(ar: ArrayLike<number>): boolean {
  let p = ar.length;
  while (p > 0 && ar[p - 1] === 0) p--;
  if (p === 0) return true;
  const roots = polynomialRoots([
    1,
    ...Array.from(ar)
      .slice(0, p)
      .map((v) => -v),
  ]);
  return roots.every(([re, im]) => Math.hypot(re, im) > 1);
}

/**
 * The invertible MA polynomial with the same autocorrelations: roots inside the unit circle
 * replaced by their reciprocals (R's `maInvert`).
 */
export function invertMa(ma: ArrayLike<number>): Float64Array {
  const q = ma.length;
  let q0 = q;
  while (q0 > 0 && ma[q0 - 1] === 0) q0--;
  if (q0 === 0) return Float64Array.from(ma);
  const roots = polynomialRoots([1, ...Array.from(ma).slice(0, q0)]);
  const inside = roots.map(([re, im]) => Math.hypot(re, im) < 1);
  if (!inside.some(Boolean)) return Float64Array.from(ma);
  const out = new Float64Array(q);
  if (q0 === 1) {
    out[0] = 1 / ma[0];
    return out;
  }
  // prod over roots r of (1 - z / r), in complex arithmetic
  let re = [1];
  let im = [0];
  for (let k = 0; k < roots.length; k++) {
    let [rr, ri] = roots[k];
    if (inside[k]) {
      const d = rr * rr + ri * ri;
      [rr, ri] = [rr / d, -ri / d];
    }
    const d = rr * rr + ri * ri;
    const [ir, ii] = [rr / d, -ri / d]; // 1 / r
    const nre = [...re, 0];
    const nim = [...im, 0];
    for (let i = 0; i < re.length; i++) {
      nre[i + 1] -= re[i] * ir - im[i] * ii;
      nim[i + 1] -= re[i] * ii + im[i] * ir;
    }
    re = nre;
    im = nim;
  }
  for (let i = 0; i < q0; i++) out[i] = re[i + 1];
  return out;
}

/**
 * Jacobian of `untransform` by forward differences of step 1e-3 (R's `ARIMA_Gradtrans`);
 * identity outside the AR blocks. Row i, column j: d out_j / d raw_i.
 */
export function transformJacobian(par: ArrayLike<number>, o: ArimaOrder, total: number): Float64Array[] {
  const eps = 1e-3;
  const a = Array.from({ length: total }, (_, i) => {
    const row = new Float64Array(total);
    row[i] = 1;
    return row;
  });
  const block = (from: number, count: number) => {
    if (count === 0) return;
    const w = Array.from(par).slice(from, from + count);
    const base = toStationary(w);
    for (let i = 0; i < count; i++) {
      w[i] += eps;
      const moved = toStationary(w);
      for (let j = 0; j < count; j++) a[from + i][from + j] = (moved[j] - base[j]) / eps;
      w[i] -= eps;
    }
  };
  block(0, o.p);
  block(o.p + o.q, o.P);
  return a;
}
