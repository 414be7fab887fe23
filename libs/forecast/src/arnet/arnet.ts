import * as tf from '@tensorflow/tfjs';
import type { WindowSet } from '../data/windows';
import type { ForecasterArtifact } from '../forecaster';
import { requireFitted } from '../input-checks';
import { ConfigOf, ConfigSchema } from '@seqcast/kit';
import type { ForecasterDefinition } from '../registry/forecaster-registry';
import { lastColumns } from '../trainable/channel-rows';
import { TrainableForecaster, TrainingPlan } from '../trainable/trainable-forecaster';
import type { FitContext } from '../types';
import { regulariserRamp, sparsityLambda, sparsityRegulariser } from './sparsity';

export const arnetSchema = new ConfigSchema({
  lags: {
    type: 'integer',
    default: 20,
    minimum: 1,
    maximum: 5000,
    description: 'p: lags the linear layer reads',
  },
  horizon: {
    type: 'integer',
    default: 1,
    minimum: 1,
    maximum: 5000,
    description: 'n_forecasts: outputs of the linear layer (direct forecasts)',
  },
  maxHorizon: {
    type: 'integer',
    default: 0,
    minimum: 0,
    description:
      'longest horizon predict accepts; beyond `horizon` the model is applied recursively. 0 = horizon (no recursion)',
  },
  sparsity: {
    type: 'number',
    default: 1,
    exclusiveMinimum: 0,
    maximum: 1,
    description: 's = expected fraction of non-zero lags; 1 turns the sparsity regulariser off',
  },
  cLambda: {
    type: 'number',
    default: 0,
    minimum: 0,
    description:
      'regulariser scale c_lambda (lambda = c_lambda (1/s - 1)); 0 = auto: 0.2 x the variance of the training targets',
  },
  c1: {
    type: 'number',
    default: 3,
    exclusiveMinimum: 0,
    description: 'regulariser c1 (paper 3; reference code 2)',
  },
  c2: {
    type: 'number',
    default: 3,
    exclusiveMinimum: 0,
    description: 'regulariser c2 (paper 3; reference code 2)',
  },
  rampEnd: {
    type: 'number',
    default: 0.5,
    minimum: 0,
    maximum: 1,
    description: 'fraction of training at which the quadratic regulariser ramp reaches full strength',
  },
  loss: {
    type: 'string',
    default: 'mse',
    enum: ['mse', 'huber'],
    description: 'mse (paper) or huber (smooth L1, the later default)',
  },
  huberDelta: { type: 'number', default: 1, exclusiveMinimum: 0, description: 'Huber threshold' },
  epochs: {
    type: 'integer',
    default: 0,
    minimum: 0,
    description: '0 = auto: about 4e6 / windows steps in all, within [1000, 4000], at least 3 epochs',
  },
  batchSize: {
    type: 'integer',
    default: 0,
    minimum: 0,
    description: '0 = auto (windows / 100 rounded to a power of two, within [32, 1024])',
  },
  learningRate: {
    type: 'number',
    default: 0,
    minimum: 0,
    description:
      'AdamW peak learning rate (one-cycle schedule); 0 = auto: 0.01 without the regulariser; with it 0.001 x sqrt(batchSize / 32), at most 0.01 (its kink at zero needs small steps)',
  },
  weightDecay: { type: 'number', default: 0, minimum: 0, description: 'AdamW decoupled weight decay' },
  seed: { type: 'integer', default: 0, minimum: 0, description: 'initialisation and shuffling seed' },
});

export type ArNetConfig = ConfigOf<typeof arnetSchema.fields>;

interface ArNetBatch {
  x: tf.Tensor2D;
  y: tf.Tensor2D;
}

/**
 * AR-Net (Triebe et al.): one linear layer from p lags to n forecasts with bias, MSE (or
 * Huber) loss plus the sparsity regulariser ramped in over training, trained by the
 * shared Trainer (AdamW, one-cycle schedule). Windows are stride 1 over every channel
 * (pooled). `forward` applies the layer as tf ops (recursively beyond n forecasts);
 * predict runs the same maps in plain JS from a Float32 copy of the weights.
 */
export class ArNetForecaster extends TrainableForecaster<ArNetConfig> {
  /** p x H chronological weights (row i multiplies y_{t-p+i}) and H biases, for predict */
  private w = new Float32Array(0);
  private b = new Float32Array(0);

  constructor(config: ArNetConfig) {
    const { lags: p, horizon: H } = config;
    const bound = 1 / Math.sqrt(p);
    super(
      'ar-net',
      config,
      { lookback: p, horizon: H, maxHorizon: Math.max(config.maxHorizon || H, H) },
      [
        { name: 'weight', shape: [p, H], init: { uniform: bound } },
        { name: 'bias', shape: [H], init: { uniform: bound } },
      ],
      config.seed + 1,
    );
  }

  private dataLoss(pred: tf.Tensor, y: tf.Tensor): tf.Scalar {
    if (this.config.loss === 'huber')
      return tf.losses.huberLoss(y, pred, undefined, this.config.huberDelta) as tf.Scalar;
    return tf.mean(tf.square(tf.sub(pred, y))) as tf.Scalar;
  }

  /** One pass of the layer: p lags [N, p] -> H forecasts [N, H]. */
  private layer(x: tf.Tensor2D): tf.Tensor2D {
    return tf.add(tf.matMul(x, this.params.get('weight')), this.params.get('bias'));
  }

  /** The layer applied in chunks of H, each chunk's outputs feeding the next one's lags. */
  protected forwardRows(x: tf.Tensor2D, horizon: number): tf.Tensor2D {
    const { lags: p, horizon: H } = this.config;
    const N = x.shape[0];
    let lags = lastColumns(x, p);
    const outs: tf.Tensor2D[] = [];
    for (let done = 0; done < horizon; done += H) {
      const y = this.layer(lags);
      outs.push(y);
      if (done + H < horizon) lags = lastColumns(tf.concat([lags, y], 1), p);
    }
    const all = outs.length === 1 ? outs[0] : (tf.concat(outs, 1) as tf.Tensor2D);
    return horizon === all.shape[1] ? all : tf.slice(all, [0, 0], [N, horizon]);
  }

  protected trainingPlan(
    windows: WindowSet,
    validWindows: WindowSet | null,
    ctx: FitContext,
  ): TrainingPlan<ArNetBatch> {
    const { lags: p, horizon: H } = this.config;
    const n = windows.size;
    // Auto sizes: big batches for big data; enough steps for Adam at a small rate to settle
    // the sparse weights (a larger rate leaves them rattling around zero under the regulariser).
    const batchSize =
      this.config.batchSize || Math.min(1024, Math.max(32, 2 ** Math.round(Math.log2(Math.max(1, n / 100)))));
    const stepsPerEpoch = Math.ceil(n / batchSize);
    const targetSteps = Math.min(4000, Math.max(1000, 4e6 / n));
    const epochs = this.config.epochs || Math.min(500, Math.max(3, Math.round(targetSteps / stepsPerEpoch)));
    const totalSteps = epochs * stepsPerEpoch;

    let cLambda = this.config.cLambda;
    if (cLambda === 0) {
      let s = 0,
        s2 = 0;
      for (let r = 0; r < n; r++) {
        const t = windows.target(r);
        for (let j = 0; j < H; j++) {
          s += t[j];
          s2 += t[j] * t[j];
        }
      }
      const m = s / (n * H);
      cLambda = 0.2 * Math.max(1e-12, s2 / (n * H) - m * m);
    }
    const lambda = sparsityLambda(cLambda, this.config.sparsity);

    const W = this.params.get('weight');
    let step = 0;
    const xBuf = new Float32Array(batchSize * p);
    const yBuf = new Float32Array(batchSize * H);
    return {
      options: {
        epochs,
        batchSize,
        learningRate:
          this.config.learningRate || (lambda > 0 ? Math.min(0.01, 0.001 * Math.sqrt(batchSize / 32)) : 0.01),
        weightDecay: this.config.weightDecay,
        schedule: { kind: 'one-cycle', pctStart: 0.3 },
        seed: this.config.seed,
        onEvent: ctx.onEvent,
        stepEventIntervalMs: 500,
      },
      train: {
        size: n,
        batch: (rows) => {
          windows.fill(rows, xBuf, yBuf);
          const m = rows.length;
          return {
            x: tf.tensor2d(xBuf.subarray(0, m * p), [m, p]),
            y: tf.tensor2d(yBuf.subarray(0, m * H), [m, H]),
          };
        },
      },
      loss: (batch, training) => {
        let loss = this.dataLoss(this.layer(batch.x), batch.y);
        if (training && lambda > 0) {
          const ramp = regulariserRamp(step / totalSteps, this.config.rampEnd);
          step++;
          if (ramp > 0)
            loss = tf.add(
              loss,
              tf.mul(sparsityRegulariser(W, this.config.c1, this.config.c2), lambda * ramp),
            );
        }
        return loss;
      },
      validate: validWindows && validWindows.size > 0 ? () => this.windowMse(validWindows) : undefined,
      // the regulariser's ramp follows the steps taken, which a resumed run must count on from
      state: {
        save: () => ({ step }),
        restore: (s) => void (step = (s as { step: number }).step),
      },
    };
  }

  private windowMse(set: WindowSet): number {
    const { lags: p, horizon: H } = this.config;
    const chunk = 4096;
    let se = 0;
    for (let start = 0; start < set.size; start += chunk) {
      const m = Math.min(chunk, set.size - start);
      const rows = Array.from({ length: m }, (_, i) => start + i);
      const x = new Float32Array(m * p);
      const y = new Float32Array(m * H);
      set.fill(rows, x, y);
      se += tf.tidy(
        () =>
          tf.sum(tf.square(tf.sub(this.layer(tf.tensor2d(x, [m, p])), tf.tensor2d(y, [m, H])))).dataSync()[0],
      );
    }
    return se / (set.size * H);
  }

  protected weightsChanged(): void {
    this.w = (this.params.get('weight').dataSync() as Float32Array).slice();
    this.b = (this.params.get('bias').dataSync() as Float32Array).slice();
  }

  /**
   * Learned coefficients per output: coefficients()[h][i] multiplies y_{t-1-i} in the
   * forecast of y_{t+h} (lag order, most recent first), plus the biases.
   */
  coefficients(): { weights: Float32Array[]; bias: Float32Array } {
    requireFitted(this.isFitted, this.kind);
    const { lags: p, horizon: H } = this.config;
    const weights = Array.from({ length: H }, (_, h) => {
      const out = new Float32Array(p);
      for (let i = 0; i < p; i++) out[i] = this.w[(p - 1 - i) * H + h];
      return out;
    });
    return { weights, bias: this.b.slice() };
  }

  /** predict's path: forwardRows in plain JS (Float32 accumulation). */
  protected forecastRows(x: Float32Array, m: number, horizon: number): Float32Array {
    const { lags: p, horizon: H } = this.config;
    const out = new Float32Array(m * horizon);
    const buf = new Float32Array(p + horizon + H);
    for (let r = 0; r < m; r++) {
      buf.set(x.subarray(r * p, (r + 1) * p), 0);
      for (let done = 0; done < horizon; done += H) {
        for (let j = 0; j < H; j++) {
          let s = this.b[j];
          for (let i = 0; i < p; i++) s += this.w[i * H + j] * buf[done + i];
          buf[p + done + j] = s;
        }
      }
      out.set(buf.subarray(p, p + horizon), r * horizon);
    }
    return out;
  }

  static fromArtifact(a: ForecasterArtifact): ArNetForecaster {
    return new ArNetForecaster(arnetSchema.parse(a.config, 'ar-net', 'artifact.config')).restore(a);
  }
}

export const arnetDefinition: ForecasterDefinition<typeof arnetSchema.fields> = {
  family: 'series',
  kind: 'ar-net',
  title: 'AR-Net',
  description:
    'One linear layer from p lags to n forecasts, trained by AdamW with the AR-Net sparsity regulariser (ramped in).',
  roles: { lookback: 'lags', horizon: 'horizon' },
  capabilities: ['trained', 'differentiable', 'updatable'],
  schema: arnetSchema,
  create: (c) => new ArNetForecaster(c),
  fromArtifact: (a) => ArNetForecaster.fromArtifact(a),
};
