import * as tf from '@tensorflow/tfjs';
import { ConfigOf, ConfigSchema } from '@seqcast/kit';
import type { ForecasterDefinition } from '../registry/forecaster-registry';
import type { ForecasterArtifact } from '../forecaster';
import { ChannelwiseForecaster } from './base-forecaster';

export const driftSchema = new ConfigSchema(
  {
    window: {
      type: 'integer',
      default: 0,
      minimum: 0,
      description: 'steps of context the slope is taken over; 0 = the whole context given (at least 2)',
    },
    maxHorizon: {
      type: 'integer',
      default: 10000,
      minimum: 1,
      description: 'longest horizon predict accepts',
    },
  },
  (c) => (c.window === 1 ? [{ field: 'window', reason: 'must be 0 (whole context) or at least 2' }] : []),
);

/**
 * Random walk with drift (Hyndman & Athanasopoulos): the line through the first and last
 * values of the window, extended: y_{T+h} = y_T + h (y_T - y_{T-w+1}) / (w - 1).
 */
export class DriftForecaster extends ChannelwiseForecaster {
  readonly kind = 'drift';
  readonly lookback: number;
  readonly maxHorizon: number;
  private readonly window: number;

  constructor(config: ConfigOf<typeof driftSchema.fields>) {
    super(config);
    this.window = config.window;
    this.lookback = config.window || 2;
    this.maxHorizon = config.maxHorizon;
    this.isFitted = true;
  }

  protected forecastChannel(history: Float32Array, horizon: number): Float32Array {
    const T = history.length;
    const w = this.window || T;
    const last = history[T - 1];
    const slope = (last - history[T - w]) / (w - 1);
    const out = new Float32Array(horizon);
    for (let h = 1; h <= horizon; h++) out[h - 1] = last + h * slope;
    return out;
  }

  protected forwardRows(x: tf.Tensor2D, horizon: number): tf.Tensor2D {
    const [N, T] = x.shape;
    const w = this.window || T;
    const last = tf.slice(x, [0, T - 1], [N, 1]);
    const slope = tf.div(tf.sub(last, tf.slice(x, [0, T - w], [N, 1])), w - 1);
    return tf.add(last, tf.mul(slope, tf.range(1, horizon + 1).reshape([1, horizon])));
  }

  protected state(): Record<string, unknown> {
    return {};
  }

  static fromArtifact(a: ForecasterArtifact): DriftForecaster {
    return new DriftForecaster(driftSchema.parse(a.config, 'drift', 'artifact.config'));
  }
}

export const driftDefinition: ForecasterDefinition<typeof driftSchema.fields> = {
  family: 'series',
  kind: 'drift',
  title: 'Drift',
  description: 'Random walk with drift: the last value plus the mean step over the window.',
  roles: { maxHorizon: 'maxHorizon' },
  capabilities: ['differentiable'],
  schema: driftSchema,
  create: (c) => new DriftForecaster(c),
  fromArtifact: (a) => DriftForecaster.fromArtifact(a),
};
