/**
 * The ETS state space models of Hyndman, Koehler, Ord & Snyder (2008): error A/M, trend
 * N/A (damped or not), season N/A/M. States are (level, growth, s_0 .. s_{m-1}) with s_0 the
 * newest seasonal state and s_{m-1} the one the next step reads, as in the forecast
 * package, so fitted states can be compared with R's one for one.
 */
export type ErrorType = 'A' | 'M';
export type TrendType = 'N' | 'A';
export type SeasonType = 'N' | 'A' | 'M';

export interface EtsSpec {
  error: ErrorType;
  trend: TrendType;
  damped: boolean;
  season: SeasonType;
  /** Season length (1 when season is N). */
  m: number;
}

/** Smoothing parameters in error-correction form (beta < alpha, gamma < 1 - alpha); phi = 1 when undamped. */
export interface EtsParams {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
}

/** The model's name as the forecast package writes it: ETS(M,Ad,M). */
export function etsName(spec: EtsSpec): string {
  return `ETS(${spec.error},${spec.trend}${spec.damped ? 'd' : ''},${spec.season})`;
}

/** Length of the state vector: level, growth when there is a trend, m seasonal states. */
export function stateLength(spec: EtsSpec): number {
  return 1 + (spec.trend !== 'N' ? 1 : 0) + (spec.season !== 'N' ? spec.m : 0);
}

const TOL = 1e-10;
const HUGE = 1e10;

export interface EtsFilterResult {
  /**
   * -2 log-likelihood up to the constant the forecast package leaves out:
   * n log(sum e^2) (+ 2 sum log|yhat| for multiplicative errors). NaN when the recursion breaks.
   */
  lik: number;
  /** Mean of squared one-step errors in data units (the 'mse' criterion). */
  mse: number;
  /** Errors of the model (y - yhat, or (y - yhat) / yhat for multiplicative errors). */
  residuals: Float64Array;
  fitted: Float64Array;
  /** State after the last observation (empty when not recording). */
  last: Float64Array;
}

const NOTHING = new Float64Array(0);

/**
 * Runs the model through the data from an initial state (the forecast package's etscalc,
 * whose update equations serve additive and multiplicative errors alike, written through
 * p = y deseasonalised, r = growth observed and t = season observed). The seasonal states
 * live in a ring buffer, so a step costs O(1) whatever m: the likelihood is evaluated
 * thousands of times per fit, hence a loop without allocations, integer modulo or a
 * logarithm per step (sum log|yhat| is accumulated as a product, logged when it leaves
 * [1e-200, 1e200]: the same sum to rounding). The divisions of a step stay off the chain
 * from one level to the next (y / s reads a seasonal state m steps old), so they overlap.
 */
export function etsFilter(
  spec: EtsSpec,
  par: EtsParams,
  y: ArrayLike<number>,
  initial: Float64Array,
  /** false: leave residuals, fitted and last empty (the optimiser only reads the criteria). */
  record = true,
  /** Scratch for the seasonal states (at least m long), so an evaluation allocates nothing. */
  ringBuffer?: Float64Array,
): EtsFilterResult {
  const n = y.length;
  const residuals = record ? new Float64Array(n) : NOTHING;
  const fitted = record ? new Float64Array(n) : NOTHING;
  const hasTrend = spec.trend !== 'N';
  // 0: none, 1: additive, 2: multiplicative
  const season = spec.season === 'N' ? 0 : spec.season === 'A' ? 1 : 2;
  const m = season === 0 ? 0 : spec.m;
  const j0 = hasTrend ? 2 : 1;
  const { alpha, gamma, phi } = par;
  const betaOverAlpha = par.beta / alpha;
  const multError = spec.error === 'M';
  let l = initial[0];
  let b = hasTrend ? initial[1] : 0;
  // s_j = ring[(head + j) % m]: s_0 the newest, s_{m-1} (at `oldest`) the one the next step reads
  const ring = ringBuffer && ringBuffer.length >= m ? ringBuffer : new Float64Array(m);
  for (let j = 0; j < m; j++) ring[j] = initial[j0 + j];
  let oldest = m - 1;
  let sse = 0;
  let logF = 0;
  let prodF = 1;
  let se = 0;
  for (let i = 0; i < n; i++) {
    const q = hasTrend ? l + phi * b : l;
    const sOld = m ? ring[oldest] : 0;
    const f = season === 0 ? q : season === 1 ? q + sOld : q * sOld;
    const yi = y[i];
    if (record) fitted[i] = f;
    let e: number;
    if (!multError) e = yi - f;
    else {
      const af = Math.abs(f);
      if (af < TOL) return broken(spec, n, residuals, fitted, initial);
      e = (yi - f) / f;
      if (af > 1e100 || af < 1e-100) logF += Math.log(af);
      else {
        prodF *= af;
        if (prodF > 1e200 || prodF < 1e-200) {
          logF += Math.log(prodF);
          prodF = 1;
        }
      }
    }
    if (record) residuals[i] = e;
    se += (yi - f) * (yi - f);
    sse += e * e;
    let p: number;
    if (season === 0) p = yi;
    else if (season === 1) p = yi - sOld;
    else p = Math.abs(sOld) < TOL ? HUGE : yi / sOld;
    const level = q + alpha * (p - q);
    if (hasTrend) {
      const phib = phi * b;
      b = phib + betaOverAlpha * (level - l - phib);
    }
    l = level;
    if (m) {
      let t: number;
      if (season === 1) t = yi - q;
      else t = Math.abs(q) < TOL ? HUGE : yi / q;
      // the new s_0 takes the slot of the old s_{m-1}, which has been read
      ring[oldest] = sOld + gamma * (t - sOld);
      oldest = oldest === 0 ? m - 1 : oldest - 1;
    }
  }
  let lik = n * Math.log(sse);
  if (multError) lik += 2 * (logF + Math.log(prodF));
  if (!record) return { lik, mse: se / n, residuals, fitted, last: NOTHING };
  const last = new Float64Array(stateLength(spec));
  last[0] = l;
  if (hasTrend) last[1] = b;
  const head = oldest + 1 === m ? 0 : oldest + 1;
  for (let j = 0; j < m; j++) last[j0 + j] = ring[(head + j) % m];
  return { lik, mse: se / n, residuals, fitted, last };
}

function broken(
  spec: EtsSpec,
  n: number,
  residuals: Float64Array,
  fitted: Float64Array,
  initial: Float64Array,
): EtsFilterResult {
  return { lik: NaN, mse: NaN, residuals, fitted, last: initial };
}

/** Point forecasts from a state: the recursion with errors set to zero. */
export function etsPointForecast(
  spec: EtsSpec,
  par: EtsParams,
  last: Float64Array,
  horizon: number,
): Float64Array {
  const out = new Float64Array(horizon);
  const l = last[0];
  const b = spec.trend === 'N' ? 0 : last[1];
  const j0 = spec.trend === 'N' ? 1 : 2;
  let phiSum = 0;
  let phiPow = 1;
  for (let h = 1; h <= horizon; h++) {
    phiPow *= par.phi;
    phiSum += spec.damped ? phiPow : 1;
    const q = spec.trend === 'N' ? l : l + phiSum * b;
    if (spec.season === 'N') out[h - 1] = q;
    else {
      // s_{m-1} is read at h = 1, s_{m-2} at h = 2, ... cycling
      const s = last[j0 + spec.m - 1 - ((h - 1) % spec.m)];
      out[h - 1] = spec.season === 'A' ? q + s : q * s;
    }
  }
  return out;
}
