import type { SchemaFields } from '@seqcast/kit';
import { Unprocessable } from '@seqcast/core';
import type * as tf from '@tensorflow/tfjs';
import { WindowSet } from '../data/windows';
import type { ForecasterArtifact, ForecasterCapabilities } from '../forecaster';
import { applyLinearMap, fitLinearDirect, LinearDirectOptions, LinearMap } from '../linalg/linear-direct';
import type { FitContext, Series } from '../types';
import { ChannelwiseForecaster } from './base-forecaster';
import { linearMapRows } from './linear-map-rows';
import { NormalEquations } from './normal-equations';

/**
 * A direct multi-horizon linear model (one weight per lag and step) fitted in closed form
 * by ridge least squares from window moments; DLinear and NLinear differ only in the
 * linear feature map and target residual they hand to the solver.
 */
export abstract class LinearDirectForecaster extends ChannelwiseForecaster {
  readonly lookback: number;
  readonly maxHorizon: number;
  protected map: LinearMap | null = null;
  /** null when loaded from an artifact written before updates existed */
  private equations: NormalEquations | null = null;
  readonly capabilities: ForecasterCapabilities = { differentiable: true, update: 'exact' };

  constructor(config: Readonly<Record<string, unknown>> & { lookback: number; horizon: number }) {
    super(config);
    this.lookback = config.lookback;
    this.maxHorizon = config.horizon;
  }

  protected abstract solverOptions(): LinearDirectOptions;

  protected get validationHorizon(): number {
    return this.maxHorizon;
  }

  protected fitSeries(train: Series[], ctx: FitContext): number {
    const windows = WindowSet.require(train, this.lookback, this.maxHorizon, 'train');
    this.equations = NormalEquations.fromWindows(train, windows, ctx.signal);
    this.map = fitLinearDirect(this.equations.moments, this.solverOptions());
    return windows.size;
  }

  /** Adds the new windows to the normal equations and solves again: a refit on all the data. */
  protected updateSeries(newObservations: Series[], ctx: FitContext): number {
    if (!this.equations) throw NormalEquations.predatesUpdates(this.kind);
    const added = this.equations.add(newObservations, ctx.signal);
    this.map = fitLinearDirect(this.equations.moments, this.solverOptions());
    return added;
  }

  protected forwardRows(x: tf.Tensor2D, horizon: number): tf.Tensor2D {
    return linearMapRows(this.map!, x, horizon);
  }

  protected forecastChannel(history: Float32Array, horizon: number): Float32Array {
    const out = new Float32Array(this.maxHorizon);
    applyLinearMap(this.map!, history, out);
    return horizon === this.maxHorizon ? out : out.slice(0, horizon);
  }

  /** The fitted map on the raw window: weight[i][j] multiplies x_i (chronological) for step j. */
  linearMap(): LinearMap | null {
    return this.map;
  }

  protected state(): Record<string, unknown> {
    return {
      weight: Array.from(this.map!.weight),
      bias: Array.from(this.map!.bias),
      ...this.equations?.toState(),
    };
  }

  protected restore(a: ForecasterArtifact): this {
    const w = a.state.weight as number[];
    const b = a.state.bias as number[];
    if (
      !Array.isArray(w) ||
      !Array.isArray(b) ||
      w.length !== this.lookback * this.maxHorizon ||
      b.length !== this.maxHorizon
    ) {
      throw new Unprocessable(`${this.kind} artifact is damaged: weights do not match lookback x horizon`);
    }
    this.map = {
      p: this.lookback,
      h: this.maxHorizon,
      weight: Float64Array.from(w),
      bias: Float64Array.from(b),
    };
    this.equations = NormalEquations.fromState(a.state, this.lookback, this.maxHorizon, this.kind);
    this.isFitted = true;
    return this;
  }
}

/** Config fields every closed-form direct linear model (DLinear, NLinear) shares. */
export const linearDirectFields = {
  lookback: {
    type: 'integer',
    default: 336,
    minimum: 2,
    maximum: 5000,
    description: 'input window length L',
  },
  horizon: {
    type: 'integer',
    default: 96,
    minimum: 1,
    maximum: 5000,
    description: 'forecast length H (the model is direct: one map per step)',
  },
  ridge: {
    type: 'number',
    default: 1e-4,
    minimum: 0,
    description: 'ridge penalty relative to the mean feature variance',
  },
} as const satisfies SchemaFields;
