import { ConfigSchema, type ConfigOf } from '@seqcast/kit';
import {
  TrainableForecaster,
  type FitContext,
  type ForecasterArtifact,
  type ForecasterDefinition,
  type TrainingPlan,
  type WindowSet,
} from '@seqcast/forecast';
import * as tf from '@tensorflow/tfjs';

export const linearMapSchema = new ConfigSchema({
  lookback: { type: 'integer', default: 3, minimum: 1, maximum: 512, description: 'values the map reads' },
  horizon: { type: 'integer', default: 2, minimum: 1, maximum: 512, description: 'values the map writes' },
  epochs: { type: 'integer', default: 600, minimum: 1, description: 'full-batch AdamW steps' },
  learningRate: { type: 'number', default: 0.05, exclusiveMinimum: 0, description: 'peak rate (cosine)' },
  seed: { type: 'integer', default: 0, minimum: 0, description: 'initialisation seed' },
});

export type LinearMapConfig = ConfigOf<typeof linearMapSchema.fields>;

interface Batch {
  x: tf.Tensor2D;
  y: tf.Tensor2D;
}

/**
 * A test-only forecaster, written as a plugin would be: one affine map from the last
 * `lookback` values to `horizon` outputs, trained on the MSE by the shared Trainer. Full
 * batches, no weight decay and a cosine decay to zero make the fit converge to the
 * least-squares map, which the spec computes independently.
 */
export class LinearMapForecaster extends TrainableForecaster<LinearMapConfig> {
  constructor(config: LinearMapConfig) {
    const { lookback: L, horizon: H } = config;
    super(
      'kit-linear-map',
      config,
      { lookback: L, horizon: H, maxHorizon: H },
      [
        { name: 'weight', shape: [L, H], init: { uniform: 1 / Math.sqrt(L) } },
        { name: 'bias', shape: [H], init: { constant: 0 } },
      ],
      config.seed + 1,
    );
  }

  protected forwardRows(x: tf.Tensor2D, horizon: number): tf.Tensor2D {
    const { lookback: L } = this.config;
    const [N, T] = x.shape;
    const lags = T === L ? x : tf.slice(x, [0, T - L], [N, L]);
    const y = tf.add(tf.matMul(lags, this.params.get('weight')), this.params.get('bias')) as tf.Tensor2D;
    return horizon === this.horizon ? y : tf.slice(y, [0, 0], [N, horizon]);
  }

  protected trainingPlan(windows: WindowSet, _valid: WindowSet | null, ctx: FitContext): TrainingPlan<Batch> {
    const { lookback: L, horizon: H } = this.config;
    const n = windows.size;
    const x = new Float32Array(n * L);
    const y = new Float32Array(n * H);
    windows.fill(
      Array.from({ length: n }, (_, i) => i),
      x,
      y,
    );
    return {
      options: {
        epochs: this.config.epochs,
        batchSize: n,
        learningRate: this.config.learningRate,
        weightDecay: 0,
        schedule: { kind: 'cosine' },
        shuffle: false,
        seed: this.config.seed,
        onEvent: ctx.onEvent,
      },
      // one batch: every window, rebuilt per step because the Trainer disposes its batch
      train: { size: n, batch: () => ({ x: tf.tensor2d(x, [n, L]), y: tf.tensor2d(y, [n, H]) }) },
      loss: (b) => tf.mean(tf.square(tf.sub(this.forwardRows(b.x, H), b.y))) as tf.Scalar,
    };
  }

  /**
   * The fitted map (GET /models/:id/coefficients): weights[h][i] multiplies the i-th value
   * of the window (oldest first) in output h, in the pipeline's scaled units.
   */
  coefficients(): { weights: number[][]; bias: number[] } {
    const { lookback: L, horizon: H } = this.config;
    const w = this.params.get('weight').dataSync();
    return {
      weights: Array.from({ length: H }, (_, h) => Array.from({ length: L }, (_, i) => w[i * H + h])),
      bias: Array.from(this.params.get('bias').dataSync()),
    };
  }

  static fromArtifact(a: ForecasterArtifact): LinearMapForecaster {
    const config = linearMapSchema.parse(a.config, 'kit-linear-map', 'artifact.config');
    return new LinearMapForecaster(config).restore(a);
  }
}

export const linearMapDefinition: ForecasterDefinition<typeof linearMapSchema.fields> = {
  family: 'series',
  kind: 'kit-linear-map',
  title: 'Linear map (test plugin)',
  description: 'One affine map from the last lookback values to horizon outputs, MSE, full-batch AdamW.',
  roles: { lookback: 'lookback', horizon: 'horizon' },
  capabilities: ['trained', 'differentiable', 'updatable'],
  schema: linearMapSchema,
  create: (c) => new LinearMapForecaster(c),
  fromArtifact: (a) => LinearMapForecaster.fromArtifact(a),
};
