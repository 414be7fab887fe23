import { stl } from '../stl';
import { difference } from './arima-order';

const isConstant = (x: ArrayLike<number>) => {
  for (let i = 1; i < x.length; i++) if (x[i] !== x[0]) return false;
  return true;
};

/**
 * KPSS level-stationarity statistic (Kwiatkowski et al. 1992; urca's `ur.kpss`, type "mu"):
 * partial sums of the demeaned series against a Bartlett-weighted long-run variance with
 * `lags` autocovariances.
 */
export function kpssStatistic(x: ArrayLike<number>, lags: number): number {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  const e = Float64Array.from(x, (v) => v - mean);
  let s = 0;
  let partial = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    partial += e[i];
    s += partial * partial;
    s2 += e[i] * e[i];
  }
  let longRun = s2 / n;
  for (let l = 1; l <= lags; l++) {
    let c = 0;
    for (let i = l; i < n; i++) c += e[i] * e[i - l];
    longRun += (2 / n) * (1 - l / (lags + 1)) * c;
  }
  return s / (n * n) / longRun;
}

/** urca's 5% critical value of the KPSS level test; p < 0.05 exactly when the statistic exceeds it. */
const KPSS_CRITICAL_5 = 0.463;

/**
 * Number of first differences by repeated KPSS tests at 5% (forecast's `ndiffs` defaults):
 * difference while the test rejects stationarity, at most `maxD` times; lags
 * trunc(3 sqrt(n) / 13) as ndiffs sets them.
 */
export function ndiffs(x: ArrayLike<number>, maxD = 2): number {
  let y = Float64Array.from(x).filter((v) => !Number.isNaN(v));
  if (isConstant(y)) return 0;
  const rejects = (v: Float64Array) =>
    v.length > 1 && kpssStatistic(v, Math.trunc((3 * Math.sqrt(v.length)) / 13)) > KPSS_CRITICAL_5;
  let d = 0;
  let dodiff = rejects(y);
  while (dodiff && d < maxD) {
    d++;
    y = difference(y, 1, 0, 1);
    if (isConstant(y)) return d;
    dodiff = rejects(y);
  }
  return d;
}

/**
 * Seasonal strength (Wang, Smith & Hyndman 2006; forecast's `seas.heuristic`):
 * 1 - var(remainder) / var(remainder + seasonal) of the STL decomposition mstl makes of a
 * single-season series (s.window 11), clamped to [0, 1].
 */
export function seasonalStrength(x: ArrayLike<number>, m: number): number {
  const { seasonal, trend } = stl(x, m, { sWindow: 11 });
  const remainder = Float64Array.from(x, (v, i) => v - seasonal[i] - trend[i]);
  const variance = (v: ArrayLike<number>) => {
    let mean = 0;
    for (let i = 0; i < v.length; i++) mean += v[i];
    mean /= v.length;
    let s = 0;
    for (let i = 0; i < v.length; i++) s += (v[i] - mean) ** 2;
    return s / (v.length - 1);
  };
  const strength = 1 - variance(remainder) / variance(remainder.map((r, i) => r + seasonal[i]));
  return Math.max(0, Math.min(1, strength));
}

/**
 * Number of seasonal differences (0 or 1 by default) as forecast's `nsdiffs` decides it with
 * its default test "seas": difference when the seasonal strength exceeds 0.64. A series
 * with missing values is not interpolated first (mstl would): the test then answers 0.
 */
export function nsdiffs(x: ArrayLike<number>, m: number, maxD = 1): number {
  let y = Float64Array.from(x);
  if (isConstant(y) || m <= 1 || m >= y.length) return 0;
  const test = (v: Float64Array) => {
    if (v.some(Number.isNaN) || v.length <= 2 * m) return false; // stl would fail: R's tryCatch answers 0
    return seasonalStrength(v, m) > 0.64;
  };
  let D = 0;
  let dodiff = test(y);
  while (dodiff && D < maxD) {
    D++;
    y = difference(y, 0, 1, m);
    if (isConstant(y)) return D;
    dodiff = y.length >= 2 * m && D < maxD ? test(y) : false;
  }
  return D;
}
