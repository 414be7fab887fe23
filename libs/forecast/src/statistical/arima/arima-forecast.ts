import type { QuantileForecast } from '../ets/ets-forecast';
import { normalQuantile } from '../normal-quantile';
import { constantRegressor } from './arima-fit';
import type { ArimaModel } from './arima-criteria';
import { kalmanForecast } from './arima-state-space';

/**
 * Forecasts of a fitted ARIMA model on the original scale (R's predict.Arima as
 * forecast.Arima calls it): the state-space model's h-step means and variances from the
 * state filtered through the whole history (the differencing is part of the state), plus
 * the mean or drift term at the future times; quantiles mean + z_q sd with the forecast
 * package's residual variance.
 */
export function arimaForecast(
  model: ArimaModel,
  horizon: number,
  probs: readonly number[],
): QuantileForecast {
  if (!model.model) throw new Error('ARIMA forecasts need a likelihood fit (method ML or CSS-ML)');
  const { space, a, P } = model.model;
  const { mean, variance } = kalmanForecast(space, { a, P }, horizon);
  const n = model.residuals.length;
  const x = constantRegressor(model.constant, horizon, n + 1);
  if (x) {
    const beta = model.coef[model.coef.length - 1];
    for (let h = 0; h < horizon; h++) mean[h] += beta * x[h];
  }
  const quantiles = new Map<number, Float64Array>();
  for (const q of probs) {
    const z = normalQuantile(q);
    quantiles.set(
      q,
      Float64Array.from(mean, (mu, h) => mu + z * Math.sqrt(variance[h] * model.sigma2)),
    );
  }
  return { point: mean, quantiles };
}
