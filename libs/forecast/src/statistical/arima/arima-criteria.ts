import type { ArimaFit } from './arima-fit';

/** An ARIMA fit with the forecast package's information criteria and residual variance. */
export interface ArimaModel extends ArimaFit {
  /** Number of estimated parameters, sigma2 included (forecast's npar). */
  npar: number;
  aicc: number;
  bic: number;
  /**
   * The forecast package's unbiased residual variance: sum of squared residuals /
   * (n* - npar + 1), n* = n - d - D m; the variance prediction intervals use.
   */
  sigma2: number;
  /** stats::arima's maximum likelihood variance (sum of squares / n.used). */
  sigma2ML: number;
}

/**
 * AICc, BIC and the adjusted variance as `forecast::Arima` and auto.arima's `myarima` derive
 * them from stats::arima's fit. For a CSS fit (auto.arima's approximation) the AIC is
 * offset + n* log(sigma2) + 2 npar, with the offset auto.arima computes once per series.
 */
export function withCriteria(fit: ArimaFit, cssOffset = 0): ArimaModel {
  const o = fit.order;
  const r = fit.residuals;
  let first = 0;
  while (first < r.length && Number.isNaN(r[first])) first++;
  let last = r.length - 1;
  while (last >= 0 && Number.isNaN(r[last])) last--;
  let n = 0;
  let ss = 0;
  for (let t = first; t <= last; t++)
    if (!Number.isNaN(r[t])) {
      n++;
      ss += r[t] * r[t];
    }
  const nstar = n - o.d - o.D * o.m;
  const npar = fit.coef.length - (fit.fixed ?? 0) + 1;
  const aic = fit.method === 'CSS' ? cssOffset + nstar * Math.log(fit.sigma2) + 2 * npar : fit.aic;
  return {
    ...fit,
    aic,
    npar,
    aicc: aic + (2 * npar * (npar + 1)) / (nstar - npar - 1),
    bic: aic + npar * (Math.log(nstar) - 2),
    sigma2: ss / (nstar - npar + 1),
    sigma2ML: fit.sigma2,
  };
}
