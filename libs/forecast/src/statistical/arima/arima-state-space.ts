import { armaStateCovariance } from './arma-covariance';

/**
 * A seasonal ARIMA model in R's state-space form (`makeARIMA`): r = max(p, q + 1) ARMA
 * states, then d = length(delta) past values of the undifferenced series, so that the
 * observation is Z a with Z = (1, 0.., 0, delta). The differencing states start diffuse
 * (variance kappa), as R does, rather than conditioning on the first d values.
 */
export interface ArimaStateSpace {
  phi: Float64Array;
  /** MA coefficients padded with zeros to r - 1. */
  theta: Float64Array;
  delta: Float64Array;
  r: number;
  /** r + d: the state's length. */
  size: number;
}

export const DIFFUSE_KAPPA = 1e6;

export function stateSpace(
  phi: Float64Array,
  theta: ArrayLike<number>,
  delta: Float64Array,
): ArimaStateSpace {
  const r = Math.max(phi.length, theta.length + 1);
  const padded = new Float64Array(r - 1);
  padded.set(Array.from(theta).slice(0, r - 1));
  return { phi, theta: padded, delta, r, size: r + delta.length };
}

/** Initial state covariance: the ARMA block's stationary covariance, kappa on the diffuse block. */
export function initialCovariance(s: ArimaStateSpace, kappa = DIFFUSE_KAPPA): Float64Array {
  const { r, size } = s;
  const pn = new Float64Array(size * size);
  const q0 = armaStateCovariance(s.phi, s.theta.subarray(0, Math.max(0, r - 1)));
  for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) pn[i * size + j] = q0[i * r + j];
  for (let i = r; i < size; i++) pn[i * size + i] = kappa;
  return pn;
}

/** Indices of the non-zero entries (seasonal polynomials are mostly zeros). */
function nonZero(v: ArrayLike<number>): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < v.length; i++) if (v[i] !== 0) out.push(i);
  return Int32Array.from(out);
}

/** a <- T a (T: phi in the first column and ones above the diagonal, then the differencing rows). */
function transitionState(s: ArimaStateSpace, a: Float64Array, out: Float64Array): void {
  const { phi, delta, r, size } = s;
  const a0 = a[0];
  for (let i = 0; i < r - 1; i++) out[i] = a[i + 1];
  out[r - 1] = 0;
  for (let i = 0; i < phi.length; i++) out[i] += phi[i] * a0;
  if (size > r) {
    let t = a0;
    for (let k = 0; k < delta.length; k++) t += delta[k] * a[r + k];
    out[r] = t;
    for (let i = r + 1; i < size; i++) out[i] = a[i - 1];
  }
}

/**
 * Pnew = T P T' + R R' (R = (1, theta, 0..)) for symmetric P, using the transition's
 * sparsity (non-zero phi, theta and delta only); `work` is a size x size scratch matrix.
 */
function predictCovariance(
  s: ArimaStateSpace,
  P: Float64Array,
  work: Float64Array,
  Pnew: Float64Array,
  nz: { phi: Int32Array; theta: Int32Array; delta: Int32Array },
): void {
  const n = s.size;
  const r = s.r;
  const { phi, theta, delta } = s;
  // work = T P, row by row (rows of P are its columns: P is symmetric)
  for (let i = 0; i < r - 1; i++) {
    const src = (i + 1) * n;
    const dst = i * n;
    for (let j = 0; j < n; j++) work[dst + j] = P[src + j];
  }
  work.fill(0, (r - 1) * n, r * n);
  for (const i of nz.phi) {
    const f = phi[i];
    const dst = i * n;
    for (let j = 0; j < n; j++) work[dst + j] += f * P[j];
  }
  if (n > r) {
    const dst = r * n;
    for (let j = 0; j < n; j++) work[dst + j] = P[j];
    for (const k of nz.delta) {
      const f = delta[k];
      const src = (r + k) * n;
      for (let j = 0; j < n; j++) work[dst + j] += f * P[src + j];
    }
    for (let i = r + 1; i < n; i++) {
      const src = (i - 1) * n;
      const dst2 = i * n;
      for (let j = 0; j < n; j++) work[dst2 + j] = P[src + j];
    }
  }
  // Pnew = work T': the same row operation on each row of work, upper triangle then mirrored
  for (let i = 0; i < n; i++) {
    const row = i * n;
    const w0 = work[row];
    for (let j = i; j < r - 1; j++) Pnew[row + j] = work[row + j + 1];
    if (i <= r - 1) Pnew[row + r - 1] = 0;
    for (const j of nz.phi) if (j >= i) Pnew[row + j] += phi[j] * w0;
    if (n > r) {
      if (r >= i) {
        let t = w0;
        for (const k of nz.delta) t += delta[k] * work[row + r + k];
        Pnew[row + r] = t;
      }
      for (let j = Math.max(r + 1, i); j < n; j++) Pnew[row + j] = work[row + j - 1];
    }
  }
  Pnew[0] += 1;
  for (const j of nz.theta) {
    Pnew[j + 1] += theta[j];
    for (const i of nz.theta) if (i <= j) Pnew[(i + 1) * n + j + 1] += theta[i] * theta[j];
  }
  for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) Pnew[i * n + j] = Pnew[j * n + i];
}

/** Sums of the Gaussian likelihood by the Kalman filter, and the state after the last value. */
export interface KalmanPass {
  /** Sum of squared standardised innovations (innovation^2 / gain). */
  ssq: number;
  /** Sum of log gains. */
  sumlog: number;
  /** Innovations counted (gain below 1e4: the diffuse start is left out, as in R). */
  nu: number;
  /** Filtered state and covariance after the last observation. */
  a: Float64Array;
  P: Float64Array;
  /** Innovations scaled by sqrt(gain), when asked for. */
  residuals?: Float64Array;
}

/**
 * The exact likelihood's sums for y (NaN = missing) by the Kalman filter from a = 0 and
 * P = initial covariance (R's `ARIMA_Like`): the first step uses the initial covariance as
 * the prediction, later steps predict with T P T' + R R'.
 */
export function kalmanPass(
  y: ArrayLike<number>,
  s: ArimaStateSpace,
  initial: Float64Array,
  withResiduals = false,
): KalmanPass {
  const n = s.size;
  const { r, delta } = s;
  const nz = { phi: nonZero(s.phi), theta: nonZero(s.theta), delta: nonZero(delta) };
  const a = new Float64Array(n);
  const anew = new Float64Array(n);
  let P = new Float64Array(n * n);
  let Pnew = Float64Array.from(initial);
  const work = new Float64Array(n * n);
  const M = new Float64Array(n);
  const residuals = withResiduals ? new Float64Array(y.length) : undefined;
  let ssq = 0;
  let sumlog = 0;
  let nu = 0;
  for (let t = 0; t < y.length; t++) {
    transitionState(s, a, anew);
    if (t > 0) predictCovariance(s, P, work, Pnew, nz);
    const yt = y[t];
    if (Number.isNaN(yt)) {
      a.set(anew);
      [P, Pnew] = [Pnew, P];
      if (residuals) residuals[t] = NaN;
      continue;
    }
    let resid = yt - anew[0];
    for (const k of nz.delta) resid -= delta[k] * anew[r + k];
    // M = Pnew Z, gain = Z' Pnew Z
    for (let i = 0; i < n; i++) {
      let v = Pnew[i];
      for (const k of nz.delta) v += Pnew[i + n * (r + k)] * delta[k];
      M[i] = v;
    }
    let gain = M[0];
    for (const k of nz.delta) gain += delta[k] * M[r + k];
    if (gain < 1e4) {
      nu++;
      ssq += (resid * resid) / gain;
      sumlog += Math.log(gain);
    }
    if (residuals) residuals[t] = resid / Math.sqrt(gain);
    const inv = 1 / gain;
    for (let i = 0; i < n; i++) a[i] = anew[i] + M[i] * resid * inv;
    for (let i = 0; i < n; i++) {
      const mi = M[i] * inv;
      const row = i * n;
      for (let j = i; j < n; j++) P[row + j] = Pnew[row + j] - mi * M[j];
    }
    for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) P[i * n + j] = P[j * n + i];
  }
  return { ssq, sumlog, nu, a, P, residuals };
}

/**
 * Means and variances (per unit innovation variance) of the next h observations from a
 * filtered state (R's `KalmanForecast`).
 */
export function kalmanForecast(
  s: ArimaStateSpace,
  state: { a: Float64Array; P: Float64Array },
  h: number,
): { mean: Float64Array; variance: Float64Array } {
  const n = s.size;
  const a = Float64Array.from(state.a);
  const anew = new Float64Array(n);
  let P = Float64Array.from(state.P);
  let Pnew = new Float64Array(n * n);
  const work = new Float64Array(n * n);
  const mean = new Float64Array(h);
  const variance = new Float64Array(h);
  const z = new Float64Array(n);
  z[0] = 1;
  z.set(s.delta, s.r);
  const nz = { phi: nonZero(s.phi), theta: nonZero(s.theta), delta: nonZero(s.delta) };
  for (let l = 0; l < h; l++) {
    transitionState(s, a, anew);
    a.set(anew);
    let fc = 0;
    for (let i = 0; i < n; i++) fc += z[i] * a[i];
    mean[l] = fc;
    predictCovariance(s, P, work, Pnew, nz);
    [P, Pnew] = [Pnew, P];
    let v = 0;
    for (let i = 0; i < n; i++) {
      if (z[i] === 0) continue;
      for (let j = 0; j < n; j++) v += z[i] * z[j] * P[i * n + j];
    }
    variance[l] = v;
  }
  return { mean, variance };
}
