import { smapeTerm } from './point-errors';

/** The pooled measures of many forecasts; NaN where nothing was counted or MASE is undefined. */
export interface PointMetrics {
  mse: number;
  mae: number;
  /** Percent, 0..200. */
  smape: number;
  mase: number;
  /** Forecast points with a known truth (the n of MSE, MAE and sMAPE). */
  count: number;
  /** Points that entered MASE (those whose forecast had a defined scale). */
  maseCount: number;
}

/**
 * Running sums for pooling measures over many forecasts, so that an average over folds
 * and series is an average over all forecast points (a short fold does not weigh as much
 * as a long one). MASE is pooled as the mean of |error| / scale over points, each point
 * scaled by the scale of its own series and fold.
 */
export class PointErrorAccumulator {
  private se = 0;
  private ae = 0;
  private sm = 0;
  private n = 0;
  private scaled = 0;
  private nScaled = 0;

  /** Adds one forecast against its truth; `scale` is the MASE denominator (NaN: none). */
  add(truth: ArrayLike<number>, forecast: ArrayLike<number>, scale: number): void {
    if (truth.length !== forecast.length) throw new RangeError(`truth has ${truth.length} values, forecast ${forecast.length}`);
    for (let i = 0; i < truth.length; i++) this.addPoint(truth[i], forecast[i], scale);
  }

  addPoint(y: number, f: number, scale: number): void {
    if (Number.isNaN(y)) return;
    const d = y - f;
    this.se += d * d;
    this.ae += Math.abs(d);
    this.sm += smapeTerm(y, f);
    this.n++;
    if (scale > 0) {
      this.scaled += Math.abs(d) / scale;
      this.nScaled++;
    }
  }

  /** Pools another accumulator into this one. */
  merge(other: PointErrorAccumulator): void {
    this.se += other.se;
    this.ae += other.ae;
    this.sm += other.sm;
    this.n += other.n;
    this.scaled += other.scaled;
    this.nScaled += other.nScaled;
  }

  result(): PointMetrics {
    const n = this.n;
    return {
      mse: n ? this.se / n : NaN,
      mae: n ? this.ae / n : NaN,
      smape: n ? this.sm / n : NaN,
      mase: this.nScaled ? this.scaled / this.nScaled : NaN,
      count: n,
      maseCount: this.nScaled,
    };
  }
}

