import { throwIfCancelled, Unprocessable } from '@seqcast/core';
import { Rng, Trainer } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { WindowSet } from '../data/windows';
import { Forecast } from '../forecast';
import type { Forecaster, ForecasterArtifact } from '../forecaster';
import { checkPredictRequest, checkTrainingSeries, requireFitted } from '../input-checks';
import { ConfigOf, ConfigSchema } from '../registry/config-schema';
import type { ForecasterDefinition } from '../registry/forecaster-registry';
import type { FitContext, FitReport, Series } from '../types';
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
 * (pooled). Prediction runs in plain JS from a Float32 copy of the weights: no tensors.
 */
export class ArNetForecaster implements Forecaster {
  readonly kind = 'ar-net';
  readonly lookback: number;
  readonly maxHorizon: number;
  private weight: tf.Variable | null = null;
  private bias: tf.Variable | null = null;
  /** p x H chronological weights (row i multiplies y_{t-p+i}) and H biases, for predict */
  private w = new Float32Array(0);
  private b = new Float32Array(0);
  private isFitted = false;

  constructor(readonly config: ArNetConfig) {
    this.lookback = config.lags;
    this.maxHorizon = config.maxHorizon || config.horizon;
    if (this.maxHorizon < config.horizon) this.maxHorizon = config.horizon;
  }

  get fitted(): boolean {
    return this.isFitted;
  }

  private initVariables(): void {
    const { lags: p, horizon: H, seed } = this.config;
    const rng = new Rng(seed + 1);
    const bound = 1 / Math.sqrt(p);
    const w0 = new Float32Array(p * H).map(() => (2 * rng.next() - 1) * bound);
    const b0 = new Float32Array(H).map(() => (2 * rng.next() - 1) * bound);
    this.disposeVariables();
    const wInit = tf.tensor2d(w0, [p, H]);
    const bInit = tf.tensor1d(b0);
    const uid = `${Date.now().toString(36)}_${Math.floor(Math.random() * 1e9).toString(36)}`;
    this.weight = tf.variable(wInit, true, `arnet_w_${uid}`);
    this.bias = tf.variable(bInit, true, `arnet_b_${uid}`);
    tf.dispose([wInit, bInit]);
  }

  private disposeVariables(): void {
    this.weight?.dispose();
    this.bias?.dispose();
    this.weight = null;
    this.bias = null;
  }

  private dataLoss(pred: tf.Tensor, y: tf.Tensor): tf.Scalar {
    if (this.config.loss === 'huber')
      return tf.losses.huberLoss(y, pred, undefined, this.config.huberDelta) as tf.Scalar;
    return tf.mean(tf.square(tf.sub(pred, y))) as tf.Scalar;
  }

  async fit(train: Series[], valid: Series[] | undefined, ctx: FitContext): Promise<FitReport> {
    const started = Date.now();
    checkTrainingSeries(train, 'train');
    if (valid) checkTrainingSeries(valid, 'valid');
    const { lags: p, horizon: H } = this.config;
    const windows = WindowSet.require(train, p, H, 'train');
    const validWindows = valid ? new WindowSet(valid, p, H) : null;
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

    this.initVariables();
    const W = this.weight!;
    const B = this.bias!;
    let step = 0;
    const xBuf = new Float32Array(batchSize * p);
    const yBuf = new Float32Array(batchSize * H);
    const trainer = new Trainer({
      epochs,
      batchSize,
      learningRate:
        this.config.learningRate || (lambda > 0 ? Math.min(0.01, 0.001 * Math.sqrt(batchSize / 32)) : 0.01),
      weightDecay: this.config.weightDecay,
      schedule: { kind: 'one-cycle', pctStart: 0.3 },
      seed: this.config.seed,
      onEvent: ctx.onEvent,
      stepEventIntervalMs: 500,
    });
    const history = await trainer.fit<ArNetBatch>(
      {
        params: [W, B],
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
          const pred = tf.add(tf.matMul(batch.x, W), B);
          let loss = this.dataLoss(pred, batch.y);
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
        validate:
          validWindows && validWindows.size > 0 ? () => this.windowMse(validWindows, W, B) : undefined,
      },
      ctx,
    );
    throwIfCancelled(ctx.signal);
    this.syncWeights();
    // predict runs from the JS copy; the variables are not needed any more
    this.disposeVariables();
    this.isFitted = true;
    const last = history.epochs[history.epochs.length - 1];
    return {
      windows: n,
      seconds: (Date.now() - started) / 1000,
      epochs: history.epochs.map((e) => ({
        epoch: e.epoch,
        loss: e.loss,
        valMetric: e.valMetric,
        seconds: e.seconds,
      })),
      validMse: last?.valMetric,
    };
  }

  private windowMse(set: WindowSet, W: tf.Tensor, B: tf.Tensor): number {
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
          tf
            .sum(tf.square(tf.sub(tf.add(tf.matMul(tf.tensor2d(x, [m, p]), W), B), tf.tensor2d(y, [m, H]))))
            .dataSync()[0],
      );
    }
    return se / (set.size * H);
  }

  private syncWeights(): void {
    this.w = this.weight!.dataSync() as Float32Array;
    this.b = this.bias!.dataSync() as Float32Array;
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

  private forecastChannel(history: Float32Array, horizon: number): Float32Array {
    const { lags: p, horizon: H } = this.config;
    const buf = new Float32Array(p + horizon + H);
    buf.set(history.subarray(history.length - p), 0);
    for (let done = 0; done < horizon; done += H) {
      for (let j = 0; j < H; j++) {
        let s = this.b[j];
        for (let i = 0; i < p; i++) s += this.w[i * H + j] * buf[done + i];
        buf[p + done + j] = s;
      }
    }
    return buf.slice(p, p + horizon);
  }

  predict(context: Series, horizon: number): Forecast {
    requireFitted(this.isFitted, this.kind);
    checkPredictRequest(context, horizon, {
      kind: this.kind,
      lookback: this.lookback,
      maxHorizon: this.maxHorizon,
    });
    return new Forecast({ point: context.map((ch) => this.forecastChannel(ch, horizon)) });
  }

  predictBatch(contexts: Series[], horizon: number): Forecast[] {
    return contexts.map((c) => this.predict(c, horizon));
  }

  toArtifact(): ForecasterArtifact {
    requireFitted(this.isFitted, this.kind);
    const { lags: p, horizon: H } = this.config;
    return {
      kind: this.kind,
      config: { ...this.config },
      state: {},
      tensors: {
        weight: { shape: [p, H], values: this.w.slice() },
        bias: { shape: [H], values: this.b.slice() },
      },
    };
  }

  static fromArtifact(a: ForecasterArtifact): ArNetForecaster {
    const m = new ArNetForecaster(arnetSchema.parse(a.config, 'ar-net', 'artifact.config'));
    const { lags: p, horizon: H } = m.config;
    const w = a.tensors.weight;
    const b = a.tensors.bias;
    if (!w || !b || w.values.length !== p * H || b.values.length !== H)
      throw new Unprocessable('ar-net artifact is damaged: weights do not match lags x horizon');
    m.w = Float32Array.from(w.values);
    m.b = Float32Array.from(b.values);
    m.isFitted = true;
    return m;
  }

  dispose(): void {
    this.disposeVariables();
  }
}

export const arnetDefinition: ForecasterDefinition<typeof arnetSchema.fields> = {
  kind: 'ar-net',
  title: 'AR-Net',
  description:
    'One linear layer from p lags to n forecasts, trained by AdamW with the AR-Net sparsity regulariser (ramped in).',
  trained: true,
  schema: arnetSchema,
  create: (c) => new ArNetForecaster(c),
  fromArtifact: (a) => ArNetForecaster.fromArtifact(a),
};
