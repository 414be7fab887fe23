/**
 * Point-forecast accuracy measures (and sTPE, the same idea for fitted coefficients). Every
 * function takes the truth first and the forecast second, and skips positions whose truth
 * is NaN (a gap in the data is not an error of the model). A NaN forecast is not skipped:
 * it makes the measure NaN, because a model that emits NaN has failed. When no position is
 * left the result is NaN ("undefined"), never 0.
 */

type Values = ArrayLike<number>;

/** The mean of term(y, f) over the positions with a known truth y (NaN when there are none). */
function meanOverKnownTruth(name: string, truth: Values, forecast: Values, term: (y: number, f: number) => number): number {
  if (truth.length !== forecast.length) throw new RangeError(`${name}: truth has ${truth.length} values, forecast ${forecast.length}`);
  let s = 0;
  let n = 0;
  for (let i = 0; i < truth.length; i++) {
    if (Number.isNaN(truth[i])) continue;
    s += term(truth[i], forecast[i]);
    n++;
  }
  return n ? s / n : NaN;
}

const squaredError = (y: number, f: number): number => (y - f) * (y - f);
const absoluteError = (y: number, f: number): number => Math.abs(y - f);

/** Mean squared error over the positions with a known truth. */
export function mse(truth: Values, forecast: Values): number {
  return meanOverKnownTruth('mse', truth, forecast, squaredError);
}

/** Mean absolute error over the positions with a known truth. */
export function mae(truth: Values, forecast: Values): number {
  return meanOverKnownTruth('mae', truth, forecast, absoluteError);
}

/**
 * One sMAPE term in percent, 0..200: 200 |y - f| / (|y| + |f|). The term is 0 when
 * y = f = 0: the forecast is exact, and counting it as 0 (rather than dropping it) keeps
 * series with true zeros comparable (the M4 definition leaves 0/0 undefined).
 */
export function smapeTerm(y: number, f: number): number {
  const den = Math.abs(y) + Math.abs(f);
  return den === 0 ? 0 : (200 * Math.abs(y - f)) / den;
}

/**
 * Symmetric mean absolute percentage error in percent, 0..200 (M3/M4 definition):
 * sMAPE = 200/n * sum |y - f| / (|y| + |f|), with 0/0 terms counted as 0 and included in n.
 */
export function smape(truth: Values, forecast: Values): number {
  return meanOverKnownTruth('smape', truth, forecast, smapeTerm);
}

/**
 * The MASE denominator: the in-sample MAE of the seasonal-naive forecast with period m,
 * mean over t = m..n-1 of |x_t - x_{t-m}| (Hyndman & Koehler 2006; m = 1 is the naive
 * forecast). Pairs with a NaN on either side are skipped. NaN when no pair is left or the
 * scale is 0 (a constant in-sample series): MASE is undefined there, and reporting it as
 * infinite or 0 would mislead an average.
 */
export function seasonalNaiveScale(insample: Values, m = 1): number {
  if (!Number.isInteger(m) || m < 1) throw new RangeError(`seasonalNaiveScale: period m must be a positive integer, got ${m}`);
  let s = 0;
  let n = 0;
  for (let t = m; t < insample.length; t++) {
    const d = insample[t] - insample[t - m];
    if (Number.isNaN(d)) continue;
    s += Math.abs(d);
    n++;
  }
  const scale = n ? s / n : NaN;
  return scale > 0 ? scale : NaN;
}

/**
 * Mean absolute scaled error: MAE of the forecast divided by the in-sample MAE of the
 * seasonal-naive forecast with period m on `insample` (the training part). Below 1 the
 * forecast beats the in-sample seasonal-naive one-step forecast. NaN when the scale is
 * undefined (see `seasonalNaiveScale`) or the truth is all NaN.
 */
export function mase(truth: Values, forecast: Values, insample: Values, m = 1): number {
  return mae(truth, forecast) / seasonalNaiveScale(insample, m);
}

/**
 * Symmetric total percentage error of coefficients (AR-Net paper):
 * sTPE = 100 * sum|w_hat - w| / sum(|w_hat| + |w|). 0 is perfect, 100 is unrelated.
 */
export function stpe(estimated: Values, truth: Values): number {
  if (estimated.length !== truth.length)
    throw new Error(`stpe: lengths differ (${estimated.length} vs ${truth.length})`);
  let num = 0;
  let den = 0;
  for (let i = 0; i < truth.length; i++) {
    num += Math.abs(estimated[i] - truth[i]);
    den += Math.abs(estimated[i]) + Math.abs(truth[i]);
  }
  return den === 0 ? 0 : (100 * num) / den;
}
