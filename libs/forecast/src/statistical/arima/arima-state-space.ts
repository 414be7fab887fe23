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
  for (let z = 0; z < nz.phi.length; z++) {
    const i = nz.phi[z];
    const f = phi[i];
    const dst = i * n;
    for (let j = 0; j < n; j++) work[dst + j] += f * P[j];
  }
  if (n > r) {
    const dst = r * n;
    for (let j = 0; j < n; j++) work[dst + j] = P[j];
    for (let z = 0; z < nz.delta.length; z++) {
      const k = nz.delta[z];
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
    for (let z = 0; z < nz.phi.length; z++) {
      const j = nz.phi[z];
      if (j >= i) Pnew[row + j] += phi[j] * w0;
    }
    if (n > r) {
      if (r >= i) {
        let t = w0;
        for (let z = 0; z < nz.delta.length; z++) t += delta[nz.delta[z]] * work[row + r + nz.delta[z]];
        Pnew[row + r] = t;
      }
      for (let j = Math.max(r + 1, i); j < n; j++) Pnew[row + j] = work[row + j - 1];
    }
  }
  Pnew[0] += 1;
  for (let z = 0; z < nz.theta.length; z++) {
    const j = nz.theta[z];
    Pnew[j + 1] += theta[j];
    for (let u = 0; u < nz.theta.length; u++) {
      const i = nz.theta[u];
      if (i <= j) Pnew[(i + 1) * n + j + 1] += theta[i] * theta[j];
    }
  }
  for (let i = 1; i < n; i++) {
    const row = i * n;
    for (let j = 0; j < i; j++) Pnew[row + j] = Pnew[j * n + i];
  }
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

/** Largest |entry| of P in the rows and columns of the differencing states. */
function lagBlockSize(P: Float64Array, n: number, r: number): number {
  let worst = 0;
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let j = i < r ? r : 0; j < n; j++) {
      const v = P[row + j] < 0 ? -P[row + j] : P[row + j];
      if (v > worst) worst = v;
    }
  }
  return worst;
}

/** Below this the differencing states count as known (their rounding residue after d observations is ~1e-10). */
const KNOWN_LAGS = 1e-7;

/**
 * The exact likelihood's sums for y (NaN = missing) by the Kalman filter from a = 0 and
 * P = initial covariance (R's `ARIMA_Like`): the first step uses the initial covariance as
 * the prediction, later steps predict with T P T' + R R'. Once the differencing states hold
 * observed values only (d observations in, nothing missing after), their covariance is
 * zero up to rounding, and the filter goes on over the r ARMA states alone with the lags
 * read from the data: the same numbers to ~1e-10 at O(r^2) instead of O((r + d)^2) a step.
 */
export function kalmanPass(
  y: ArrayLike<number>,
  s: ArimaStateSpace,
  initial: Float64Array,
  withResiduals = false,
): KalmanPass {
  const n = s.size;
  const r = s.r;
  const residuals = withResiduals ? new Float64Array(y.length) : undefined;
  const sums = { ssq: 0, sumlog: 0, nu: 0 };
  let lastMissing = -1;
  for (let t = 0; t < y.length; t++) if (y[t] !== y[t]) lastMissing = t;
  const start = { y, from: 0, s, a: new Float64Array(n), initial, firstUsesInitial: true, sums, residuals };
  if (n === r) {
    const only = armaSteps(start);
    return { ...sums, a: only.a, P: only.P, residuals };
  }
  const full = filterSteps(
    start,
    (t, P) => t > lastMissing && t + 1 >= s.delta.length && lagBlockSize(P, n, r) < KNOWN_LAGS,
  );
  if (full.next >= y.length) return { ...sums, a: full.a, P: full.P, residuals };
  const arma: ArimaStateSpace = { ...s, delta: new Float64Array(0), size: r };
  const aR = full.a.slice(0, r);
  const PR = new Float64Array(r * r);
  for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) PR[i * r + j] = full.P[i * n + j];
  const lags = (t: number) => {
    let v = 0;
    for (let k = 0; k < s.delta.length; k++) v += s.delta[k] * y[t - 1 - k];
    return v;
  };
  const rest = armaSteps({
    ...start,
    from: full.next,
    s: arma,
    a: aR,
    initial: PR,
    firstUsesInitial: false,
    known: lags,
  });
  // the full state after the last value: ARMA part, then the lags y_{t-1}, ..., y_{t-d}
  const a = new Float64Array(n);
  const P = new Float64Array(n * n);
  a.set(rest.a);
  const last = y.length - 1;
  for (let k = 0; k < s.delta.length; k++) a[r + k] = y[last - 1 - k];
  for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) P[i * n + j] = rest.P[i * r + j];
  return { ...sums, a, P, residuals };
}

/** A run of Kalman steps: from where, on what, and the sums it adds to. */
interface StepRun {
  y: ArrayLike<number>;
  from: number;
  s: ArimaStateSpace;
  /** The state before y[from] (moved in place). */
  a: Float64Array;
  /** The covariance: the prediction for y[from] when `firstUsesInitial`, else a filtered one. */
  initial: Float64Array;
  firstUsesInitial: boolean;
  sums: { ssq: number; sumlog: number; nu: number };
  residuals?: Float64Array;
  /** The part of y_t that known lags fix (the reduced filter); zero when absent. */
  known?: (t: number) => number;
}

/**
 * Kalman steps over the r ARMA states alone (no missing values): R's d = 0 recursion
 * Pnew[i][j] = P[i+1][j+1] + phi_i P[0][j+1] + phi_j P[0][i+1] + phi_i phi_j P[0][0]
 * + theta_i theta_j (theta_0 = 1) on the upper triangle only, touching only the non-zero phi
 * and theta; the state covariance comes back whole.
 */
function armaSteps(run: StepRun): { a: Float64Array; P: Float64Array } {
  const { y, from, s, a, initial, firstUsesInitial, sums, residuals } = run;
  const known = run.known ?? (() => 0);
  const r = s.r;
  const { phi, theta } = s;
  const nzPhi = nonZero(phi);
  const nzTheta = nonZero(theta);
  const anew = new Float64Array(r);
  // Pn: the prediction covariance (upper triangle); the filtered one is never stored whole:
  // the next prediction reads it as Pn - m m' / gain on the fly (m = Pn's first row)
  const Pn = Float64Array.from(initial);
  const m = new Float64Array(r);
  const row0 = new Float64Array(r);
  /** Pn <- T (Pn - m m' / g) T' + R R', in place, given m and 1/g of the step just filtered. */
  const predict = (inv: number) => {
    for (let j = 0; j < r; j++) row0[j] = Pn[j] - m[0] * m[j] * inv;
    for (let i = 0; i < r - 1; i++) {
      const dst = i * r;
      const src = (i + 1) * r + 1;
      const mi = m[i + 1] * inv;
      for (let j = i; j < r - 1; j++) Pn[dst + j] = Pn[src + j] - mi * m[j + 1];
      Pn[dst + r - 1] = 0;
    }
    Pn[r * r - 1] = 0;
    const p00 = row0[0];
    for (let u = 0; u < nzPhi.length; u++) {
      const i = nzPhi[u];
      const f = phi[i];
      for (let j = 0; j < r - 1; j++) {
        const v = f * row0[j + 1];
        if (j > i) Pn[i * r + j] += v;
        else if (j < i) Pn[j * r + i] += v;
        else Pn[i * r + i] += 2 * v;
      }
      for (let w = 0; w < nzPhi.length; w++) {
        const j = nzPhi[w];
        if (j >= i) Pn[i * r + j] += f * phi[j] * p00;
      }
    }
    Pn[0] += 1;
    for (let u = 0; u < nzTheta.length; u++) {
      const j = nzTheta[u] + 1;
      const tj = theta[j - 1];
      Pn[j] += tj;
      for (let w = 0; w < nzTheta.length; w++) {
        const i = nzTheta[w] + 1;
        if (i <= j) Pn[i * r + j] += theta[i - 1] * tj;
      }
    }
  };
  if (!firstUsesInitial) {
    // `initial` is a filtered covariance: predict from it (m = 0 leaves it as it is)
    m.fill(0);
    predict(0);
  }
  let inv = 0;
  for (let t = from; t < y.length; t++) {
    transitionState(s, a, anew);
    if (t > from) predict(inv);
    const resid = y[t] - known(t) - anew[0];
    const gain = Pn[0];
    if (gain < 1e4) {
      sums.nu++;
      sums.ssq += (resid * resid) / gain;
      sums.sumlog += Math.log(gain);
    }
    if (residuals) residuals[t] = resid / Math.sqrt(gain);
    inv = 1 / gain;
    const scale = resid * inv;
    for (let i = 0; i < r; i++) {
      m[i] = Pn[i];
      a[i] = anew[i] + m[i] * scale;
    }
  }
  const P = new Float64Array(r * r);
  for (let i = 0; i < r; i++) {
    const mi = m[i] * inv;
    for (let j = i; j < r; j++) {
      const v = Pn[i * r + j] - mi * m[j];
      P[i * r + j] = v;
      P[j * r + i] = v;
    }
  }
  return { a, P };
}

/**
 * Kalman steps from position `from` (R's loop in `ARIMA_Like`), adding to `sums`; stops
 * after the step where `stop` says so. `known` gives the part of y_t fixed by known lags
 * (the reduced filter), zero otherwise.
 */
function filterSteps(
  run: StepRun,
  stop: (t: number, P: Float64Array) => boolean,
): { a: Float64Array; P: Float64Array; next: number } {
  const { y, from, s, a, initial, firstUsesInitial, sums, residuals } = run;
  const known = run.known ?? (() => 0);
  const n = s.size;
  const { r, delta } = s;
  const nz = { phi: nonZero(s.phi), theta: nonZero(s.theta), delta: nonZero(delta) };
  const nd = nz.delta.length;
  const anew = new Float64Array(n);
  let P = Float64Array.from(initial);
  let Pnew = new Float64Array(n * n);
  const work = new Float64Array(n * n);
  const M = new Float64Array(n);
  for (let t = from; t < y.length; t++) {
    transitionState(s, a, anew);
    if (t === from && firstUsesInitial) Pnew.set(P);
    else predictCovariance(s, P, work, Pnew, nz);
    const yt = y[t];
    if (yt !== yt) {
      a.set(anew);
      [P, Pnew] = [Pnew, P];
      if (residuals) residuals[t] = NaN;
      continue;
    }
    let resid = yt - known(t) - anew[0];
    for (let z = 0; z < nd; z++) resid -= delta[nz.delta[z]] * anew[r + nz.delta[z]];
    // M = Pnew Z (Pnew symmetric: rows for columns), gain = Z' Pnew Z
    M.set(Pnew.subarray(0, n));
    for (let z = 0; z < nd; z++) {
      const k = nz.delta[z];
      const f = delta[k];
      const src = (r + k) * n;
      for (let i = 0; i < n; i++) M[i] += f * Pnew[src + i];
    }
    let gain = M[0];
    for (let z = 0; z < nd; z++) gain += delta[nz.delta[z]] * M[r + nz.delta[z]];
    if (gain < 1e4) {
      sums.nu++;
      sums.ssq += (resid * resid) / gain;
      sums.sumlog += Math.log(gain);
    }
    if (residuals) residuals[t] = resid / Math.sqrt(gain);
    const inv = 1 / gain;
    for (let i = 0; i < n; i++) a[i] = anew[i] + M[i] * resid * inv;
    for (let i = 0; i < n; i++) {
      const mi = M[i] * inv;
      const row = i * n;
      for (let j = 0; j < n; j++) P[row + j] = Pnew[row + j] - mi * M[j];
    }
    if (stop(t, P)) return { a, P, next: t + 1 };
  }
  return { a, P, next: y.length };
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
