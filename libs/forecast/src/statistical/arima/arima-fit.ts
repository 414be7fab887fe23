import { bfgs, numericalHessian } from '../bfgs';
import { conditionalSumOfSquares } from './arima-css';
import { ArimaOrder, armaCount, armaNames, difference, differencingDelta } from './arima-order';
import { initialCovariance, kalmanPass, stateSpace, ArimaStateSpace } from './arima-state-space';
import {
  arStationary,
  expandArma,
  invertMa,
  transform,
  transformJacobian,
  untransform,
} from './arima-transform';
import { solveLinear } from './linear-solve';

/** The deterministic term: none, a mean (no differencing) or a drift (one difference). */
export type ArimaConstant = 'mean' | 'drift' | null;

export type ArimaMethod = 'CSS-ML' | 'ML' | 'CSS';

/** A fitted seasonal ARIMA model (R's `stats::arima` result, the parts used here). */
export interface ArimaFit {
  order: ArimaOrder;
  constant: ArimaConstant;
  method: ArimaMethod;
  /** ARMA coefficients (ar, ma, sar, sma), then the mean or drift coefficient. */
  coef: Float64Array;
  names: string[];
  /** Innovation variance as stats::arima estimates it (sum of squares / n.used). */
  sigma2: number;
  /** Gaussian log-likelihood (CSS: of the conditional sum of squares). */
  loglik: number;
  /** -2 loglik + 2 (parameters + 1); NaN for CSS, as in R. */
  aic: number;
  /** Observations less the d + D m lost to differencing (R's n.used). */
  nUsed: number;
  /** Innovations (ML: standardised by the Kalman gain; CSS: conditional residuals). */
  residuals: Float64Array;
  /** Expanded AR and MA polynomials. */
  phi: Float64Array;
  theta: Float64Array;
  /**
   * False where R's variance matrix (from optim's numerical Hessian) would have a NaN on its
   * diagonal (forecast's `checkarima`). Computed on first call: the Hessian costs 4 k^2
   * likelihood evaluations and the search needs it only for models that would win.
   */
  varianceOk: () => boolean;
  /** Number of coefficients held fixed (not estimated). */
  fixed?: number;
  /** The state space and its filtered state after the last value (ML fits; for forecasting). */
  model?: { space: ArimaStateSpace; a: Float64Array; P: Float64Array };
}

/** The regressor of a constant term, at times 1..n (R's intercept column or forecast's drift). */
export function constantRegressor(constant: ArimaConstant, n: number, from = 1): Float64Array | null {
  if (!constant) return null;
  return Float64Array.from({ length: n }, (_, t) => (constant === 'mean' ? 1 : from + t));
}

/** Least squares of the differenced series on the differenced regressor (R's `lm` start). */
function regressionStart(y: Float64Array, x: Float64Array, o: ArimaOrder): { beta: number; se: number } {
  let dy = difference(y, o.d, o.D, o.m);
  let dx = difference(x, o.d, o.D, o.m);
  if (!(dy.length > 1) || dx.every((v) => v === 0)) {
    dy = y;
    dx = x;
  }
  let sxx = 0;
  let sxy = 0;
  let n = 0;
  for (let i = 0; i < dy.length; i++)
    if (!Number.isNaN(dy[i])) {
      sxx += dx[i] * dx[i];
      sxy += dx[i] * dy[i];
      n++;
    }
  const beta = sxy / sxx;
  let rss = 0;
  for (let i = 0; i < dy.length; i++) if (!Number.isNaN(dy[i])) rss += (dy[i] - beta * dx[i]) ** 2;
  return { beta, se: Math.sqrt(rss / (n - 1) / sxx) };
}

function once(f: () => boolean): () => boolean {
  let value: boolean | undefined;
  return () => (value ??= f());
}

/** Diagonal of A' (H n)^-1 A is free of NaN (R: sqrt(diag(var.coef))); false if H is singular. */
function varianceDiagonalOk(hessian: Float64Array[], nUsed: number, jac?: Float64Array[]): boolean {
  const k = hessian.length;
  if (k === 0) return true;
  const a = jac ?? hessian.map((_, i) => Float64Array.from({ length: k }, (_, j) => (i === j ? 1 : 0)));
  const sol = solveLinear(
    hessian.map((row) => row.map((v) => v * nUsed)),
    a,
  );
  if (!sol) return false;
  for (let j = 0; j < k; j++) {
    let v = 0;
    for (let i = 0; i < k; i++) v += a[i][j] * sol[i][j];
    if (!(v >= 0)) return false;
  }
  return true;
}

/**
 * ARIMA(0,d,0)(0,D,0) with its constant fixed (auto.arima's answer when the differenced
 * series is constant): nothing to optimise, the likelihood evaluated once.
 */
function fixedWhiteNoise(
  y: Float64Array,
  o: ArimaOrder,
  kind: ArimaConstant,
  beta: number,
  xreg: Float64Array,
  nUsed: number,
  delta: Float64Array,
  names: string[],
  method: ArimaMethod,
): ArimaFit {
  const phi = new Float64Array(0);
  const theta = new Float64Array(0);
  const space = stateSpace(phi, theta, delta);
  const pass = kalmanPass(
    y.map((v, t) => v - xreg[t] * beta),
    space,
    initialCovariance(space),
    true,
  );
  const value = 0.5 * (Math.log(pass.ssq / pass.nu) + pass.sumlog / pass.nu);
  const minus2loglik = 2 * nUsed * value + nUsed + nUsed * Math.log(2 * Math.PI);
  return {
    order: o,
    constant: kind,
    method,
    coef: Float64Array.of(beta),
    names,
    sigma2: pass.ssq / nUsed,
    loglik: -0.5 * minus2loglik,
    aic: minus2loglik + 2,
    nUsed,
    residuals: pass.residuals!,
    phi,
    theta,
    varianceOk: () => true,
    model: { space, a: pass.a, P: pass.P },
    fixed: 1,
  };
}

/**
 * Fits a seasonal ARIMA model as R's `stats::arima` does (default method "CSS-ML"):
 * parameters start from the conditional-sum-of-squares fit (BFGS), then maximise the exact
 * Gaussian likelihood from the Kalman filter (BFGS with numerical gradients, AR parts kept
 * stationary by the partial-autocorrelation transform, MA parts inverted afterwards), with
 * a mean (no differencing) or drift (forecast's `include.drift`) as a regression term whose
 * scale comes from its least-squares standard error. Throws where R's arima stops (a
 * non-stationary AR part from CSS, a failing optimiser).
 */
export function fitArima(
  series: ArrayLike<number>,
  order: ArimaOrder,
  constant: ArimaConstant = null,
  method: ArimaMethod = 'CSS-ML',
  fixedConstant?: number,
): ArimaFit {
  const o = order;
  const y = Float64Array.from(series);
  const n = y.length;
  const narma = armaCount(o);
  const delta = differencingDelta(o);
  const nd = o.d + o.D;
  const mean = constant === 'mean' && nd === 0 ? 'mean' : null;
  const drift = constant === 'drift' && nd > 0 ? 'drift' : null;
  const kind: ArimaConstant = mean ?? drift;
  const xreg = constantRegressor(kind, n);
  let observed = 0;
  for (const v of y) if (!Number.isNaN(v)) observed++;
  const nUsed = observed - delta.length;
  if (nUsed <= 0) throw new Error('too few non-missing observations');
  const total = narma + (xreg ? 1 : 0);
  const init = new Float64Array(total);
  const parscale = new Float64Array(total).fill(1);
  if (xreg) {
    const { beta, se } = regressionStart(y, xreg, o);
    init[narma] = beta;
    parscale[narma] = 10 * se;
  }
  // one buffer for the series less its regression term, reused by every evaluation (a long
  // series would otherwise allocate its length at each of thousands of evaluations)
  const buffer = new Float64Array(n);
  const adjusted = (par: ArrayLike<number>) => {
    if (!xreg) return y;
    const beta = par[narma];
    for (let t = 0; t < n; t++) buffer[t] = y[t] - xreg[t] * beta;
    return buffer;
  };
  const scratch = { w: new Float64Array(n), resid: new Float64Array(n) };
  const ncond = o.d + o.D * o.m + o.p + o.m * o.P;
  const css = (par: ArrayLike<number>) => {
    const { phi, theta } = expandArma(par, o);
    return (
      0.5 * Math.log(conditionalSumOfSquares(adjusted(par), o, phi, theta, ncond, false, scratch).sigma2)
    );
  };
  const names = [...armaNames(o), ...(kind ? [kind === 'mean' ? 'intercept' : 'drift'] : [])];
  if (fixedConstant !== undefined) {
    if (narma > 0 || !xreg)
      throw new Error('a fixed constant is only supported for ARIMA(0,d,0) with a constant');
    return fixedWhiteNoise(y, o, kind, fixedConstant, xreg, nUsed, delta, names, method);
  }

  if (method === 'CSS') {
    const res = bfgs(css, init, { parscale });
    const coef = res.x;
    const { phi, theta } = expandArma(coef, o);
    const { sigma2, residuals } = conditionalSumOfSquares(adjusted(coef), o, phi, theta, ncond, true);
    const value = 2 * nUsed * res.value + nUsed + nUsed * Math.log(2 * Math.PI);
    return {
      order: o,
      constant: kind,
      method,
      coef,
      names,
      sigma2,
      loglik: -0.5 * value,
      aic: NaN,
      nUsed,
      residuals: residuals!,
      phi,
      theta,
      varianceOk: once(() => varianceDiagonalOk(numericalHessian(css, coef, { parscale }), nUsed)),
    };
  }

  let start = init;
  if (method === 'CSS-ML') {
    const res = bfgs(css, init, { parscale });
    if (res.code === 0) start = res.x;
    if (o.p > 0 && !arStationary(start.subarray(0, o.p))) throw new Error('non-stationary AR part from CSS');
    if (o.P > 0 && !arStationary(start.subarray(o.p + o.q, o.p + o.q + o.P)))
      throw new Error('non-stationary seasonal AR part from CSS');
  }
  start = transform(start, o);
  const invertBlocks = (par: Float64Array) => {
    if (o.q > 0) par.set(invertMa(par.subarray(o.p, o.p + o.q)), o.p);
    if (o.Q > 0) par.set(invertMa(par.subarray(o.p + o.q + o.P, narma)), o.p + o.q + o.P);
  };
  invertBlocks(start);
  const likelihood = (par: ArrayLike<number>) => {
    const { phi, theta } = expandArma(untransform(par, o), o);
    let initial: Float64Array;
    let space: ArimaStateSpace;
    try {
      space = stateSpace(phi, theta, delta);
      initial = initialCovariance(space);
    } catch {
      return Number.MAX_VALUE;
    }
    const pass = kalmanPass(adjusted(par), space, initial);
    const s2 = pass.ssq / pass.nu;
    return 0.5 * (Math.log(s2) + pass.sumlog / pass.nu);
  };
  const res = bfgs(likelihood, start, { parscale });
  const coef = Float64Array.from(res.x);
  invertBlocks(coef);
  let value = res.value;
  let changed = false;
  for (let i = 0; i < total; i++) if (coef[i] !== res.x[i]) changed = true;
  if (changed) value = likelihood(coef);
  const varianceOk = once(() =>
    varianceDiagonalOk(
      numericalHessian(likelihood, coef, { parscale }),
      nUsed,
      transformJacobian(coef, o, total),
    ),
  );
  const final = untransform(coef, o);
  const { phi, theta } = expandArma(final, o);
  const space = stateSpace(phi, theta, delta);
  const pass = kalmanPass(adjusted(final), space, initialCovariance(space), true);
  const minus2loglik = 2 * nUsed * value + nUsed + nUsed * Math.log(2 * Math.PI);
  return {
    order: o,
    constant: kind,
    method,
    coef: final,
    names,
    sigma2: pass.ssq / nUsed,
    loglik: -0.5 * minus2loglik,
    aic: minus2loglik + 2 * total + 2,
    nUsed,
    residuals: pass.residuals!,
    phi,
    theta,
    varianceOk,
    model: { space, a: pass.a, P: pass.P },
  };
}
