import { solveLinear } from './linear-solve';

/**
 * Stationary covariance (unit innovation variance) of the ARMA part's state in the
 * state-space form R's `arima` uses (Harvey's: r = max(p, q + 1) states, the first being
 * the ARMA value). R computes it by Gardner et al.'s (1980) algorithm; this computes the
 * same matrix from the process' autocovariances and the stationarity of the transition
 * P = T P T' + R R': the first row from gamma(h) and the psi weights, every other entry by
 * P[i][k] = P[i+1][k+1] + phi_{i+1} phi_{k+1} P[0][0] + phi_{i+1} P[0][k+1] + phi_{k+1} P[0][i+1]
 * + theta_i theta_k. O(r^2 + p^3) where a direct Lyapunov solve would be O(r^6).
 */
export function armaStateCovariance(phi: ArrayLike<number>, theta: ArrayLike<number>): Float64Array {
  const p = phi.length;
  const q = theta.length;
  const r = Math.max(p, q + 1);
  const ph = (k: number) => (k >= 1 && k <= p ? phi[k - 1] : 0); // phi_k, 1-based
  const th = (k: number) => (k === 0 ? 1 : k <= q ? theta[k - 1] : 0); // theta_k, theta_0 = 1
  const psi = new Float64Array(r + 1);
  for (let j = 0; j <= r; j++) {
    let v = th(j);
    for (let i = 1; i <= (j < p ? j : p); i++) v += ph(i) * psi[j - i];
    psi[j] = v;
  }
  // sum_{j=h}^{q} theta_j psi_{j-h}: the MA side of the autocovariance equations
  const rhs = (h: number) => {
    let v = 0;
    for (let j = h; j <= q; j++) v += th(j) * psi[j - h];
    return v;
  };
  const gamma = new Float64Array(r + 1);
  if (p > 0) {
    const a = Array.from({ length: p + 1 }, () => new Float64Array(p + 1));
    const b = Array.from({ length: p + 1 }, (_, h) => Float64Array.of(rhs(h)));
    for (let h = 0; h <= p; h++) {
      a[h][h] += 1;
      for (let i = 1; i <= p; i++) a[h][h > i ? h - i : i - h] -= ph(i);
    }
    const g = solveLinear(a, b);
    if (!g) throw new Error('ARMA autocovariance system is singular (AR part not stationary)');
    for (let h = 0; h <= p; h++) gamma[h] = g[h][0];
  }
  for (let h = p > 0 ? p + 1 : 0; h <= r; h++) {
    let v = rhs(h);
    for (let i = 1; i <= p; i++) v += ph(i) * gamma[h - i];
    gamma[h] = v;
  }
  const P = new Float64Array(r * r);
  P[0] = gamma[0];
  for (let k = 1; k < r; k++) {
    let v = 0;
    for (let j = 0; j <= r - 1 - k; j++) v += ph(k + j + 1) * gamma[j + 1] + th(k + j) * psi[j];
    P[k] = v;
    P[k * r] = v;
  }
  const at = (i: number, k: number) => (i >= r || k >= r ? 0 : P[i * r + k]);
  for (let i = r - 1; i >= 1; i--)
    for (let k = r - 1; k >= i; k--) {
      const v =
        at(i + 1, k + 1) +
        ph(i + 1) * ph(k + 1) * P[0] +
        ph(i + 1) * at(0, k + 1) +
        ph(k + 1) * at(0, i + 1) +
        th(i) * th(k);
      P[i * r + k] = v;
      P[k * r + i] = v;
    }
  return P;
}
