import { leastSquaresLine } from './least-squares-line';
import { nelderMead } from './nelder-mead';
import { fitEts } from './ets/ets-fit';
import { etsPointForecast } from './ets/ets-model';
import type { QuantileForecast } from './ets/ets-forecast';
import { normalQuantile } from './normal-quantile';
import { thetaAdjustment } from './seasonality';

export interface ThetaFit {
  /** Smoothing parameter of the SES on the theta line. */
  alpha: number;
  /** Weight theta of the theta line (2 in the standard method). */
  theta: number;
  /** Whether the series was seasonally adjusted first. */
  seasonal: boolean;
  sigma2: number;
}

function withIntervals(mean: Float64Array, sigma2: number, alpha: number, probs: number[]): QuantileForecast {
  const quantiles = new Map<number, Float64Array>();
  for (const q of probs) {
    const z = normalQuantile(q);
    // the forecast package's thetaf: the SES-with-drift standard error, not reseasonalised
    quantiles.set(
      q,
      Float64Array.from(mean, (mu, h) => mu + z * Math.sqrt(sigma2) * Math.sqrt(h * alpha * alpha + 1)),
    );
  }
  return { point: mean, quantiles };
}

/**
 * The standard Theta method (Assimakopoulos & Nikolopoulos 2000) as Hyndman & Billah (2003)
 * showed it to be and the forecast package's thetaf computes it: on the multiplicatively
 * seasonally adjusted series (when the 90% autocorrelation test finds a season), SES fitted
 * by least squares plus a drift of half the slope of the linear trend,
 * yhat_{n+h} = SES_n + (b/2) (h - 1 + (1 - (1 - alpha)^n) / alpha), reseasonalised.
 */
export function standardTheta(
  y: ArrayLike<number>,
  m: number,
  horizon: number,
  probs: number[],
): { fit: ThetaFit; forecast: QuantileForecast } {
  const n = y.length;
  const adj = thetaAdjustment(y, m);
  const x = adj ? adj.adjusted : Float64Array.from(y);
  const ses = fitEts(x, { error: 'A', trend: 'N', damped: false, season: 'N', m: 1 }, { criterion: 'mse' });
  if (!ses) throw new Error('Theta: simple exponential smoothing could not be fitted');
  const alpha = Math.max(1e-10, ses.par.alpha);
  const half = leastSquaresLine(x, 0).slope / 2;
  const base = etsPointForecast(ses.spec, ses.par, ses.last, horizon);
  const mean = Float64Array.from(base, (v, h) => {
    const drifted = v + half * (h + (1 - (1 - alpha) ** n) / alpha);
    return adj ? adj.restore(drifted, h) : drifted;
  });
  return {
    fit: { alpha, theta: 2, seasonal: adj !== null, sigma2: ses.sigma2 },
    forecast: withIntervals(mean, ses.sigma2, alpha, probs),
  };
}

/**
 * The optimised Theta method (Fiorucci, Pellegrini, Louzada, Petropoulos & Koehler 2016, the
 * OTM): the forecast is (1/theta) x SES of the theta line Z_t = theta y_t + (1 - theta)(a + b t)
 * plus (1 - 1/theta) x the linear trend, with theta >= 1, alpha and the initial level chosen
 * together by in-sample one-step mean squared error (a and b: the full-sample least-squares
 * line, as the static OTM uses). theta = 2 gives the standard method. Seasonal adjustment
 * and intervals as in `standardTheta` (SES-with-drift variance from the residuals).
 */
export function optimisedTheta(
  y: ArrayLike<number>,
  m: number,
  horizon: number,
  probs: number[],
): { fit: ThetaFit; forecast: QuantileForecast } {
  const n = y.length;
  const adj = thetaAdjustment(y, m);
  const x = adj ? adj.adjusted : Float64Array.from(y);
  const { intercept: a, slope: b } = leastSquaresLine(x, 0);
  const sse = (v: Float64Array): number => {
    const [alpha, theta, l0] = v;
    if (!(alpha >= 1e-4 && alpha <= 0.9999 && theta >= 1 && theta <= 50)) return Infinity;
    let level = l0;
    let s = 0;
    for (let t = 0; t < n; t++) {
      const trend = a + b * t;
      const fitted = level / theta + (1 - 1 / theta) * trend;
      s += (x[t] - fitted) ** 2;
      const z = theta * x[t] + (1 - theta) * trend;
      level = alpha * z + (1 - alpha) * level;
    }
    return s / n;
  };
  // start from the standard method: theta 2, alpha 0.5, the first value's theta line
  const start = [0.5, 2, 2 * x[0] - a];
  const best = nelderMead(sse, start, { maxEvaluations: 1000 });
  const [alpha, theta, l0] = best.x;
  let level = l0;
  for (let t = 0; t < n; t++)
    level = alpha * (theta * x[t] + (1 - theta) * (a + b * t)) + (1 - alpha) * level;
  const mean = Float64Array.from({ length: horizon }, (_, h) => {
    const v = level / theta + (1 - 1 / theta) * (a + b * (n + h));
    return adj ? adj.restore(v, h) : v;
  });
  const sigma2 = (best.value * n) / Math.max(1, n - 3);
  return {
    fit: { alpha, theta, seasonal: adj !== null, sigma2 },
    forecast: withIntervals(mean, sigma2, alpha, probs),
  };
}
