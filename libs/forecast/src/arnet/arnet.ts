import * as tf from '@tensorflow/tfjs';
import type { WindowSet } from '../data/windows';
import type { ForecasterArtifact } from '../forecaster';
import { requireFitted } from '../input-checks';
import { ConfigOf, ConfigSchema } from '@seqcast/kit';
import type { ForecasterDefinition } from '../registry/forecaster-registry';
import { lastColumns } from '../trainable/channel-rows';
import { TrainableForecaster } from '../trainable/trainable-forecaster';
import type { FitContext } from '../types';
import type { TrainingHistory } from '@seqcast/tensor';
import { ArNetTrainingOptions, DenseWindows, denseMse, rangeTestRate, trainArNet } from './arnet-training';
import { estimateSparsity } from './auto-sparsity';
import { referenceCLambda, sparsityLambda } from './sparsity';

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
    default: 0,
    minimum: 0,
    maximum: 1,
    description:
      's = expected fraction of non-zero lags; 1 turns the sparsity regulariser off; 0 = auto: on with s = k/p when the least-squares AR(p) fit has k <= p/2 lags with |t| > 3, else off',
  },
  cLambda: {
    type: 'number',
    default: 0,
    minimum: 0,
    description:
      "regulariser scale c_lambda (lambda = c_lambda (1/s - 1)); 0 = auto: the reference code's 0.01 x the noise level m (mean absolute first difference of the training series) in the units of the reference's data: 0.01 m (m / 0.13)",
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
    description:
      "0 = auto, the authors' rule from the number of training windows n: int(2^(2.5 log10(100 + n)) / (n / 1000)) within [10, 1000]",
  },
  batchSize: {
    type: 'integer',
    default: 0,
    minimum: 0,
    description: "0 = auto, the authors' rule: 2^(2 + floor(log10 n)) within [16, 512], at most n",
  },
  learningRate: {
    type: 'number',
    default: 0,
    minimum: 0,
    description:
      "peak rate of the one-cycle schedule; 0 = auto, the reference's range test (fastai lr_find from 1e-6 to 1 in 200 steps; the rate at the smoothed loss minimum / 100)",
  },
  weightDecay: { type: 'number', default: 0, minimum: 0, description: 'decoupled weight decay' },
  seed: { type: 'integer', default: 0, minimum: 0, description: 'initialisation and shuffling seed' },
});

export type ArNetConfig = ConfigOf<typeof arnetSchema.fields>;

/** What a fit settled on where the config said auto (reported by `fit`, and in the artifact). */
export interface ArNetSettings {
  epochs: number;
  batchSize: number;
  learningRate: number;
  sparsity: number;
  lambda: number;
}

/** The authors' automatic batch size and training length for n training windows (NeuralProphet's rule). */
export function autoBatchEpochs(n: number): { batchSize: number; epochs: number } {
  const batchSize = Math.min(n, Math.min(512, Math.max(16, 2 ** (2 + Math.floor(Math.log10(n))))));
  const epochs = Math.min(1000, Math.max(10, Math.floor(2 ** (2.5 * Math.log10(100 + n)) / (n / 1000))));
  return { batchSize, epochs };
}

/**
 * AR-Net (Triebe et al. 2019): one linear layer from p lags to n forecasts with bias, MSE (or
 * Huber) loss plus the sparsity regulariser ramped in over training, trained as the reference
 * code trains it (see arnet-training.ts: Adam, fastai's one-cycle schedule, the rate from a
 * range test, the step count from the number of samples). Windows are stride 1 over every
 * channel (pooled). `forward` applies the layer as tf ops (recursively beyond n forecasts);
 * predict runs the same maps in plain JS from a Float32 copy of the weights.
 */
export class ArNetForecaster extends TrainableForecaster<ArNetConfig> {
  /** p x H chronological weights (row i multiplies y_{t-p+i}) and H biases, for predict */
  private w = new Float32Array(0);
  private b = new Float32Array(0);
  /** what the last fit used where the config said auto */
  private settings: ArNetSettings | null = null;

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

  /** Settings the last fit chose where the config said auto (null before a fit). */
  chosenSettings(): ArNetSettings | null {
    return this.settings && { ...this.settings };
  }

  /**
   * Trains the layer from its declared initial values (PyTorch's Linear init) by the
   * reference's loop, then hands the weights to the tf variables.
   */
  protected async train(
    windows: WindowSet,
    validWindows: WindowSet | null,
    ctx: FitContext,
  ): Promise<{ windows: number; history: TrainingHistory }> {
    const c = this.config;
    const loss = c.loss as ArNetTrainingOptions['loss'];
    const data = new DenseWindows(windows, c.lags, c.horizon);
    const auto = autoBatchEpochs(windows.size);
    const batchSize = Math.min(windows.size, c.batchSize || auto.batchSize);
    const epochs = c.epochs || auto.epochs;
    const sparsity = c.sparsity > 0 ? c.sparsity : (estimateSparsity(windows)?.sparsity ?? 1);
    const lambda = sparsityLambda(c.cLambda || referenceCLambda(data.meanAbsStep()), sparsity);
    const layer = {
      w: Float64Array.from(this.params.get('weight').dataSync()),
      b: Float64Array.from(this.params.get('bias').dataSync()),
    };
    const learningRate =
      c.learningRate ||
      rangeTestRate(data, layer, { batchSize, loss, huberDelta: c.huberDelta, seed: c.seed });
    const valid =
      validWindows && validWindows.size > 0 ? new DenseWindows(validWindows, c.lags, c.horizon) : null;
    const history = await trainArNet(
      data,
      layer,
      {
        epochs,
        batchSize,
        learningRate,
        lambda,
        c1: c.c1,
        c2: c.c2,
        rampEnd: c.rampEnd,
        loss,
        huberDelta: c.huberDelta,
        weightDecay: c.weightDecay,
        seed: c.seed,
      },
      ctx,
      valid ? () => denseMse(valid, layer) : undefined,
    );
    tf.tidy(() => {
      this.params.get('weight').assign(tf.tensor2d(Float32Array.from(layer.w), [c.lags, c.horizon]));
      this.params.get('bias').assign(tf.tensor1d(Float32Array.from(layer.b)));
    });
    this.settings = { epochs, batchSize, learningRate, sparsity, lambda };
    return { windows: windows.size, history };
  }

  protected state(): Record<string, unknown> {
    return this.settings ? { settings: this.settings } : {};
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
