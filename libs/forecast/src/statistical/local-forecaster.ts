import { Unprocessable } from '@seqcast/core';
import { PointErrorAccumulator } from '@seqcast/numeric';
import * as tf from '@tensorflow/tfjs';
import { ChannelwiseForecaster } from '../baselines/base-forecaster';
import { Forecast } from '../forecast';
import type { ForecasterCapabilities } from '../forecaster';
import { checkPredictRequest, requireFitted } from '../input-checks';
import type { Series } from '../types';
import type { QuantileForecast } from './ets/ets-forecast';

/** Config fields every per-series statistical kind has. */
export const localFields = {
  seasonLength: {
    type: 'integer',
    default: 1,
    minimum: 1,
    description: 'season length m in steps (12 for monthly data with a yearly cycle; 1 = no season)',
  },
  lookback: {
    type: 'integer',
    default: 500,
    minimum: 3,
    description:
      'most steps of history each forecast fits the model on (the newest); shorter histories are used whole',
  },
  levels: {
    type: 'array',
    items: { type: 'number' },
    default: [0.8, 0.95],
    minItems: 0,
    maxItems: 10,
    description:
      'central prediction interval coverages in (0, 1): each gives the quantiles (1 - level) / 2 and (1 + level) / 2',
  },
  maxHorizon: { type: 'integer', default: 10000, minimum: 1, description: 'longest horizon predict accepts' },
} as const;

/** The fewest values a local model is fitted on. */
const MIN_HISTORY = 3;

/** Quantile probabilities of central interval levels, sorted. */
export function levelProbabilities(levels: readonly number[]): number[] {
  const out = new Set<number>();
  for (const l of levels) {
    out.add(Number(((1 - l) / 2).toFixed(10)));
    out.add(Number(((1 + l) / 2).toFixed(10)));
  }
  return [...out].sort((a, b) => a - b);
}

/** A config's levels, each checked to lie in (0, 1). */
export function levelErrors(levels: readonly number[]): Array<{ field: string; reason: string }> {
  return levels.flatMap((l, i) =>
    l > 0 && l < 1 ? [] : [{ field: `levels[${i}]`, reason: `must lie in (0, 1), got ${l}` }],
  );
}

/**
 * A statistical model fitted per series at forecast time (ETS, Theta, ARIMA): nothing is
 * learnt across series, so `fit` stores nothing and every forecast fits the model to the
 * context it is given (its newest `lookback` values), as StatsForecast and the forecast
 * package do. Forecasts carry quantiles from the model's own forecast distribution. The
 * tensor forward evaluates the same forecasts as constants: there is no gradient to give.
 */
export abstract class LocalForecaster extends ChannelwiseForecaster {
  // fitted afresh on each context, on the data's scale as R fits them: standardising would
  // hide the data's sign (multiplicative ETS, multiplicative decompositions need positive data)
  override readonly capabilities: ForecasterCapabilities = {
    differentiable: false,
    update: 'stateless',
    scaleFree: true,
  };
  readonly lookback: number;
  readonly maxHorizon: number;
  protected readonly seasonLength: number;
  protected readonly probabilities: number[];

  constructor(config: { seasonLength: number; lookback: number; levels: number[]; maxHorizon: number }) {
    super(config);
    this.seasonLength = config.seasonLength;
    this.lookback = config.lookback;
    this.maxHorizon = config.maxHorizon;
    this.probabilities = levelProbabilities(config.levels);
    this.isFitted = true;
  }

  /** Fits the model to one history (float64, at least 3 values) and forecasts with quantiles. */
  protected abstract forecastHistory(
    history: Float64Array,
    horizon: number,
    probs: number[],
  ): QuantileForecast;

  private history(ch: Float32Array): Float64Array {
    return Float64Array.from(ch.subarray(Math.max(0, ch.length - this.lookback)));
  }

  protected forecastChannel(history: Float32Array, horizon: number): Float32Array {
    return Float32Array.from(this.forecastHistory(this.history(history), horizon, []).point);
  }

  /** Contexts shorter than the lookback are fitted whole; at least 3 values are needed. */
  override predict(context: Series, horizon: number): Forecast {
    requireFitted(this.isFitted, this.kind);
    checkPredictRequest(context, horizon, {
      kind: this.kind,
      lookback: MIN_HISTORY,
      maxHorizon: this.maxHorizon,
    });
    const per = context.map((ch) => this.forecastHistory(this.history(ch), horizon, this.probabilities));
    const quantiles = new Map<number, Float32Array[]>();
    for (const q of this.probabilities)
      quantiles.set(
        q,
        per.map((f) => Float32Array.from(f.quantiles.get(q)!)),
      );
    return new Forecast({ point: per.map((f) => Float32Array.from(f.point)), quantiles });
  }

  protected forwardRows(x: tf.Tensor2D, horizon: number): tf.Tensor2D {
    const rows = x.arraySync();
    const out = rows.map((r) => Array.from(this.forecastChannel(Float32Array.from(r), horizon)));
    return tf.tensor2d(out, [rows.length, horizon]);
  }

  /**
   * One-step error at up to 20 evenly spaced origins of each validation channel (refitting
   * at every position, as the closed-form models' validation does, would cost a fit per step).
   */
  protected override validationError(valid: Series[], horizon: number): number | undefined {
    const acc = new PointErrorAccumulator();
    for (const s of valid)
      for (const ch of s) {
        const first = Math.max(MIN_HISTORY, 2 * this.seasonLength);
        const span = ch.length - horizon - first;
        if (span < 0) continue;
        const origins = Math.min(20, span + 1);
        for (let k = 0; k < origins; k++) {
          const t = first + Math.floor((k * span) / Math.max(1, origins - 1));
          acc.add(ch.subarray(t, t + horizon), this.forecastChannel(ch.subarray(0, t), horizon), NaN);
        }
      }
    const { count, mse } = acc.result();
    return count ? mse : undefined;
  }

  protected state(): Record<string, unknown> {
    return {};
  }
}

/** Thrown by a kind whose fit failed on a history (message names the kind). */
export function unfittable(kind: string, reason: string): Unprocessable {
  return new Unprocessable(`${kind}: ${reason}`, [{ field: 'context', reason }]);
}
