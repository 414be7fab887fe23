import { Unprocessable, ValidationFailed } from '@seqcast/core';
import type * as tf from '@tensorflow/tfjs';
import { WindowSet } from '../data/windows';
import type { ForecasterArtifact, ForecasterCapabilities } from '../forecaster';
import { fitLinearDirect, LinearMap, unrollLinearMap } from '../linalg/linear-direct';
import { ConfigOf, ConfigSchema } from '@seqcast/kit';
import type { ForecasterDefinition } from '../registry/forecaster-registry';
import type { FitContext, Series } from '../types';
import { ChannelwiseForecaster } from './base-forecaster';
import { linearMapRows } from './linear-map-rows';
import { NormalEquations } from './normal-equations';

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
  /** null when loaded from an artifact written before updates existed */
  private equations: NormalEquations | null = null;
  /** forward's map, unrolled for the last horizon asked */
  private unrolled: LinearMap | null = null;
  readonly capabilities: ForecasterCapabilities = { differentiable: true, update: 'exact' };

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
    this.equations = NormalEquations.fromWindows(train, windows, ctx.signal);
    this.solve();
    return windows.size;
  }

  /** Adds the new windows to the normal equations and solves again: a refit on all the data. */
  protected updateSeries(newObservations: Series[], ctx: FitContext): number {
    if (!this.equations) throw NormalEquations.predatesUpdates(this.kind);
    const added = this.equations.add(newObservations, ctx.signal);
    this.solve();
    return added;
  }

  private solve(): void {
    const map = fitLinearDirect(this.equations!.moments, { ridge: this.settings.ridge });
    this.weight = map.weight;
    this.intercept = map.bias[0];
    this.unrolled = null;
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

  /** The recursion unrolled into one affine map of the window (the same forecasts), as tf ops. */
  protected forwardRows(x: tf.Tensor2D, horizon: number): tf.Tensor2D {
    if (!this.unrolled || this.unrolled.h !== horizon) {
      const oneStep = { p: this.lookback, h: 1, weight: this.weight, bias: Float64Array.of(this.intercept) };
      this.unrolled = unrollLinearMap(oneStep, horizon);
    }
    return linearMapRows(this.unrolled, x);
  }

  protected state(): Record<string, unknown> {
    return {
      weight: Array.from(this.weight),
      intercept: this.intercept,
      ...this.equations?.toState(),
    };
  }

  static fromArtifact(a: ForecasterArtifact): ClassicArForecaster {
    const m = new ClassicArForecaster(classicArSchema.parse(a.config, 'classic-ar', 'artifact.config'));
    const w = a.state.weight as number[];
    if (!Array.isArray(w) || w.length !== m.lookback)
      throw new Unprocessable('classic-ar artifact is damaged: weight length does not match order');
    m.weight = Float64Array.from(w);
    m.intercept = Number(a.state.intercept);
    m.equations = NormalEquations.fromState(a.state, m.lookback, 1, m.kind);
    m.isFitted = true;
    return m;
  }
}

export const classicArDefinition: ForecasterDefinition<typeof classicArSchema.fields> = {
  family: 'series',
  kind: 'classic-ar',
  title: 'Classic AR',
  description:
    'Autoregression of order p by exact least squares (Float64 normal equations), recursive multi-step forecasts.',
  roles: { maxHorizon: 'maxHorizon' },
  capabilities: ['differentiable', 'updatable'],
  schema: classicArSchema,
  create: (c) => new ClassicArForecaster(c),
  fromArtifact: (a) => ClassicArForecaster.fromArtifact(a),
};
