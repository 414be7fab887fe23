/** Mean squared error over all entries of equal-length arrays. */
export function mse(pred: ArrayLike<number>, truth: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < pred.length; i++) {
    const d = pred[i] - truth[i];
    s += d * d;
  }
  return s / pred.length;
}

/** Mean absolute error over all entries of equal-length arrays. */
export function mae(pred: ArrayLike<number>, truth: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < pred.length; i++) s += Math.abs(pred[i] - truth[i]);
  return s / pred.length;
}

/**
 * Symmetric total percentage error of coefficients (AR-Net paper):
 * sTPE = 100 * sum|w_hat - w| / sum(|w_hat| + |w|). 0 is perfect, 100 is unrelated.
 */
export function stpe(estimated: ArrayLike<number>, truth: ArrayLike<number>): number {
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

/** Running sums for MSE and MAE over many forecasts. */
export class ErrorAccumulator {
  private se = 0;
  private ae = 0;
  private n = 0;

  add(pred: ArrayLike<number>, truth: ArrayLike<number>, length = Math.min(pred.length, truth.length)): void {
    for (let i = 0; i < length; i++) {
      const d = pred[i] - truth[i];
      this.se += d * d;
      this.ae += Math.abs(d);
    }
    this.n += length;
  }

  get count(): number {
    return this.n;
  }

  get mse(): number {
    return this.se / this.n;
  }

  get mae(): number {
    return this.ae / this.n;
  }
}
