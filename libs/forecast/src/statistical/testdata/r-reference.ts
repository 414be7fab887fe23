import type { EtsSpec } from '../ets/ets-model';
import reference from './r-forecast-reference.json';

/** One model as R's forecast package fitted it (bench/r/forecast-reference.R). */
export interface REtsEntry {
  error: 'A' | 'M';
  trend: 'N' | 'A';
  season: 'N' | 'A' | 'M';
  damped: boolean;
  method: string;
  alpha: number[];
  beta: Array<number | null>;
  gamma: Array<number | null>;
  phi: Array<number | null>;
  initstate: number[];
  loglik: number[];
  aicc: number[];
  sigma2: number[];
  fitted: number[] | null;
  mean: number[];
  lo80: number[];
  hi80: number[];
  lo95: number[];
  hi95: number[];
}

/** auto.arima's model (fit$arma orders, coefficients, forecasts) and its search (bench/r/forecast-reference.R). */
export interface RArimaEntry {
  /** (p, d, q) */
  order: number[];
  /** (P, D, Q) */
  seasonal: number[];
  period: number[];
  coef: number[];
  coefNames: string[];
  loglik: number[];
  aicc: number[];
  /** forecast's residual variance (sum of squares / (n* - npar + 1)) */
  sigma2: number[];
  mean: number[];
  lo80: number[];
  hi80: number[];
  lo95: number[];
  hi95: number[];
  /** urca's KPSS level statistic with ndiffs' lags */
  kpss: number[];
  /** seasonal strength of the series and of its seasonal difference (null: non-seasonal) */
  strength: number[] | null;
  /** the stepwise search's trace: model label and criterion (null = Inf), as printed (7 digits) */
  search: Array<{ model: string; ic: number | null }>;
}

export interface RDataset {
  frequency: number[];
  y: number[];
  auto: REtsEntry;
  fixed: Record<string, REtsEntry>;
  theta: {
    alpha: number[];
    drift: number[];
    mean: number[];
    lo80: number[];
    hi80: number[];
    lo95: number[];
    hi95: number[];
  };
  arima: RArimaEntry;
}

/** The fixture R wrote: R's datasets with the models fitted to each. */
export const R_REFERENCE = reference as unknown as {
  generatedBy: string;
  horizon: number;
  datasets: Record<string, RDataset>;
};

/** The model of an entry as our spec. */
export function specOf(e: REtsEntry, m: number): EtsSpec {
  return { error: e.error, trend: e.trend, damped: e.damped, season: e.season, m: e.season === 'N' ? 1 : m };
}

/** Largest relative difference between two equally long sequences. */
export function maxRelative(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++)
    worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), 1e-12));
  return worst;
}
