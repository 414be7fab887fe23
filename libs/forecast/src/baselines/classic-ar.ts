import { Unprocessable, ValidationFailed } from '@seqcast/core';
import { WindowSet } from '../data/windows';
import type { ForecasterArtifact } from '../forecaster';
import { fitLinearDirect } from '../linalg/linear-direct';
import { windowMoments } from '../linalg/window-moments';
import { ConfigOf, ConfigSchema } from '../registry/config-schema';
import type { ForecasterDefinition } from '../registry/forecaster-registry';
import type { FitContext, Series } from '../types';
import { ChannelwiseForecaster } from './base-forecaster';

export const classicArSchema = new ConfigSchema({
  order: {
    type: 'integer',
    default: 20,
    minimum: 1,
    maximum: 2000,
    description: 'AR order p (number of lags)',
  },
  ridge: {
    type: 'number',
    default: 0,
    minimum: 0,
    description: 'ridge penalty relative to the mean lag variance; 0 = exact least squares',
  },
  maxHorizon: {
    type: 'integer',
    default: 10000,
    minimum: 1,
    description: 'longest horizon predict accepts (forecasts are recursive)',
  },
});

/**
 * Classic AR(p): y_t = c + sum_i w_i y_{t-i} + e_t fitted by least squares, exactly, in
 * Float64 from the normal equations (Cholesky), all channels pooled. Multi-step forecasts
 * are recursive. Cost is O(n p^2) to form the normal equations plus O(p^3) to solve: the
 * quadratic cost in p that AR-Net avoids.
 */
export class ClassicArForecaster extends ChannelwiseForecaster {
  readonly kind = 'classic-ar';
  readonly lookback: number;
  readonly maxHorizon: number;
  /** chronological weights: weight[i] multiplies y_{t-p+i} */
  private weight = new Float64Array(0);
  private intercept = 0;

  constructor(readonly settings: ConfigOf<typeof classicArSchema.fields>) {
    super(settings);
    this.lookback = settings.order;
    this.maxHorizon = settings.maxHorizon;
  }

  protected fitSeries(train: Series[], ctx: FitContext): number {
    const windows = WindowSet.require(train, this.settings.order, 1, 'train');
    if (windows.size <= this.settings.order) {
      throw new ValidationFailed(
        `AR(${this.settings.order}) needs more than ${this.settings.order} training windows, got ${windows.size}`,
        [{ field: 'train', reason: `needs at least ${2 * this.settings.order + 1} steps` }],
      );
    }
    const map = fitLinearDirect(windowMoments(windows, 1, ctx.signal), { ridge: this.settings.ridge });
    this.weight = map.weight;
    this.intercept = map.bias[0];
    return windows.size;
  }

  /** Coefficients in lag order: coefficients()[i] multiplies y_{t-1-i}; plus the intercept. */
  coefficients(): { lags: Float64Array; intercept: number } {
    const p = this.weight.length;
    const lags = new Float64Array(p);
    for (let i = 0; i < p; i++) lags[i] = this.weight[p - 1 - i];
    return { lags, intercept: this.intercept };
  }

  protected forecastChannel(history: Float32Array, horizon: number): Float32Array {
    const p = this.lookback;
    const buf = new Float64Array(p + horizon);
    for (let i = 0; i < p; i++) buf[i] = history[history.length - p + i];
    const out = new Float32Array(horizon);
    for (let h = 0; h < horizon; h++) {
      let s = this.intercept;
      for (let i = 0; i < p; i++) s += this.weight[i] * buf[h + i];
      buf[p + h] = s;
      out[h] = s;
    }
    return out;
  }

  protected state(): Record<string, unknown> {
    return { weight: Array.from(this.weight), intercept: this.intercept };
  }

  static fromArtifact(a: ForecasterArtifact): ClassicArForecaster {
    const m = new ClassicArForecaster(classicArSchema.parse(a.config, 'classic-ar', 'artifact.config'));
    const w = a.state.weight as number[];
    if (!Array.isArray(w) || w.length !== m.lookback)
      throw new Unprocessable('classic-ar artifact is damaged: weight length does not match order');
    m.weight = Float64Array.from(w);
    m.intercept = Number(a.state.intercept);
    m.isFitted = true;
    return m;
  }
}

export const classicArDefinition: ForecasterDefinition<typeof classicArSchema.fields> = {
  kind: 'classic-ar',
  title: 'Classic AR',
  description:
    'Autoregression of order p by exact least squares (Float64 normal equations), recursive multi-step forecasts.',
  trained: false,
  schema: classicArSchema,
  create: (c) => new ClassicArForecaster(c),
  fromArtifact: (a) => ClassicArForecaster.fromArtifact(a),
};
