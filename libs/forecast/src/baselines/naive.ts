import * as tf from '@tensorflow/tfjs';
import { ConfigOf, ConfigSchema } from '@seqcast/kit';
import type { ForecasterDefinition } from '../registry/forecaster-registry';
import type { ForecasterArtifact } from '../forecaster';
import { ChannelwiseForecaster } from './base-forecaster';

const maxHorizonField = {
  type: 'integer',
  default: 10000,
  minimum: 1,
  description: 'longest horizon predict accepts',
} as const;

export const naiveSchema = new ConfigSchema({ maxHorizon: maxHorizonField });

/** Repeats the last observed value: y_{T+h} = y_T. Nothing to fit. */
export class NaiveForecaster extends ChannelwiseForecaster {
  readonly kind = 'naive';
  readonly lookback = 1;
  readonly maxHorizon: number;

  constructor(config: ConfigOf<typeof naiveSchema.fields>) {
    super(config);
    this.maxHorizon = config.maxHorizon;
    this.isFitted = true;
  }

  protected forecastChannel(history: Float32Array, horizon: number): Float32Array {
    return new Float32Array(horizon).fill(history[history.length - 1]);
  }

  protected forwardRows(x: tf.Tensor2D, horizon: number): tf.Tensor2D {
    const [N, T] = x.shape;
    return tf.tile(tf.slice(x, [0, T - 1], [N, 1]), [1, horizon]);
  }

  protected state(): Record<string, unknown> {
    return {};
  }

  static fromArtifact(a: ForecasterArtifact): NaiveForecaster {
    return new NaiveForecaster(naiveSchema.parse(a.config, 'naive', 'artifact.config'));
  }
}

export const naiveDefinition: ForecasterDefinition<typeof naiveSchema.fields> = {
  family: 'series',
  kind: 'naive',
  title: 'Naive',
  description: 'Last observed value repeated over the horizon.',
  roles: { maxHorizon: 'maxHorizon' },
  capabilities: ['differentiable'],
  schema: naiveSchema,
  create: (c) => new NaiveForecaster(c),
  fromArtifact: (a) => NaiveForecaster.fromArtifact(a),
};

export const seasonalNaiveSchema = new ConfigSchema({
  seasonLength: {
    type: 'integer',
    default: 24,
    minimum: 1,
    description: 'season length m in steps (24 for hourly data with a daily cycle)',
  },
  maxHorizon: maxHorizonField,
});

/** Repeats the last season: y_{T+h} = y_{T+h-m*k}, k = ceil(h/m). */
export class SeasonalNaiveForecaster extends ChannelwiseForecaster {
  readonly kind = 'seasonal-naive';
  readonly lookback: number;
  readonly maxHorizon: number;

  constructor(config: ConfigOf<typeof seasonalNaiveSchema.fields>) {
    super(config);
    this.lookback = config.seasonLength;
    this.maxHorizon = config.maxHorizon;
    this.isFitted = true;
  }

  protected forecastChannel(history: Float32Array, horizon: number): Float32Array {
    const m = this.lookback;
    const T = history.length;
    const out = new Float32Array(horizon);
    for (let h = 1; h <= horizon; h++) out[h - 1] = history[T - m + ((h - 1) % m)];
    return out;
  }

  protected forwardRows(x: tf.Tensor2D, horizon: number): tf.Tensor2D {
    const m = this.lookback;
    const T = x.shape[1];
    const at = Int32Array.from({ length: horizon }, (_, h) => T - m + (h % m));
    return tf.gather(x, tf.tensor1d(at, 'int32'), 1);
  }

  protected state(): Record<string, unknown> {
    return {};
  }

  static fromArtifact(a: ForecasterArtifact): SeasonalNaiveForecaster {
    return new SeasonalNaiveForecaster(
      seasonalNaiveSchema.parse(a.config, 'seasonal-naive', 'artifact.config'),
    );
  }
}

export const seasonalNaiveDefinition: ForecasterDefinition<typeof seasonalNaiveSchema.fields> = {
  family: 'series',
  kind: 'seasonal-naive',
  title: 'Seasonal naive',
  description: 'Last full season repeated over the horizon.',
  roles: { maxHorizon: 'maxHorizon' },
  capabilities: ['differentiable'],
  schema: seasonalNaiveSchema,
  create: (c) => new SeasonalNaiveForecaster(c),
  fromArtifact: (a) => SeasonalNaiveForecaster.fromArtifact(a),
};
