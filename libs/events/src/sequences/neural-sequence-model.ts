import { throwIfCancelled, Unprocessable } from '@seqcast/core';
import { Rng, Trainer, TrainContext, TrainDataset } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { addDense, applyDense } from '../nn/layers';
import { ParamStore } from '../nn/params';
import {
  checkSequenceRows,
  inputWidth,
  SequenceBatch,
  SequenceEncoder,
  SequenceScaler,
  SequenceScalerJSON,
} from './input-encoding';
import type { EncoderSizes, SequenceEncoderNet } from './sequence-encoders';
import type { SequenceFitReport, SequenceModel, SequenceRow, SequenceSchema } from './types';

/** Rows per forward pass in prediction and validation. */
const EVAL_BATCH = 64;

/** The training fields every sequence-level kind has (see sequence-config.ts). */
export interface SequenceTrainingConfig {
  hidden: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  weightDecay: number;
  clipNorm: number;
  patience: number;
  seed: number;
  layers?: number;
  heads?: number;
  referencePoints?: number;
  timeEmbedding?: number;
}

export interface SequenceArtifact {
  family: 'sequences';
  kind: string;
  config: Record<string, unknown>;
  schema: SequenceSchema;
  state: { scaler: SequenceScalerJSON };
  tensors: Record<string, { shape: number[]; values: Float32Array }>;
}

export type EncoderFactory = (p: ParamStore, sizes: EncoderSizes) => SequenceEncoderNet;

/** Rows as the Trainer's dataset (batches built on demand, padded to the longest row). */
export class SequenceRows implements TrainDataset<SequenceBatch> {
  constructor(
    readonly rows: SequenceRow[],
    private readonly encoder: SequenceEncoder,
  ) {}
  get size(): number {
    return this.rows.length;
  }
  batch(indices: number[]): SequenceBatch {
    return this.encoder.batch(indices.map((i) => this.rows[i]));
  }
  lengthOf(i: number): number {
    return this.rows[i].times.length;
  }
}

/**
 * A sequence-level model: an encoder (GRU, Transformer, mean pooling, mTAND) from a padded
 * batch to one vector per sequence, then a linear head: class logits with softmax cross-
 * entropy, or one value with the squared error on the z-scored target. Trained through the
 * shared Trainer (AdamW, gradient clipping, early stopping on the validation loss with the
 * best epoch's weights put back, cancellation from ctx).
 */
export class NeuralSequenceModel implements SequenceModel {
  protected params: ParamStore | null = null;
  protected net: SequenceEncoderNet | null = null;
  protected head: { W: tf.Variable; b?: tf.Variable } | null = null;
  protected encoder: SequenceEncoder | null = null;

  constructor(
    readonly kind: string,
    readonly schema: SequenceSchema,
    readonly config: SequenceTrainingConfig & Record<string, unknown>,
    private readonly makeEncoder: EncoderFactory,
  ) {}

  get fitted(): boolean {
    return this.net !== null;
  }

  protected get outputs(): number {
    return this.schema.task === 'classification' ? this.schema.numClasses! : 1;
  }

  /** Fresh weights for the data's sizes (seeded by config.seed). */
  protected build(scaler: SequenceScaler): void {
    this.dispose();
    const c = this.config;
    const p = new ParamStore(new Rng(c.seed * 7919 + 17));
    const net = this.makeEncoder(p, {
      inputs: inputWidth(this.schema),
      hidden: c.hidden,
      layers: c.layers ?? 1,
      heads: c.heads ?? 1,
      referencePoints: c.referencePoints ?? 16,
      timeEmbedding: c.timeEmbedding ?? 16,
    });
    this.params = p;
    this.net = net;
    this.head = addDense(p, 'head', net.width, this.outputs);
    this.encoder = new SequenceEncoder(this.schema, scaler);
  }

  /** Logits [B, classes] or the scaled value [B, 1]. */
  protected forward(batch: SequenceBatch, training: boolean): tf.Tensor2D {
    return applyDense(this.net!.encode(batch, training), this.head!) as tf.Tensor2D;
  }

  protected loss(out: tf.Tensor2D, y: tf.Tensor): tf.Scalar {
    return this.schema.task === 'classification'
      ? (tf.losses.softmaxCrossEntropy(tf.oneHot(y as tf.Tensor1D, this.outputs), out) as tf.Scalar)
      : (tf.losses.meanSquaredError(y, out) as tf.Scalar);
  }

  async fit(
    train: SequenceRow[],
    valid: SequenceRow[] | undefined,
    ctx: TrainContext,
  ): Promise<SequenceFitReport> {
    const started = Date.now();
    this.prepare(train, valid);
    const history = await this.trainParams(this.params!.list(), train, valid, ctx, (b, training) =>
      this.loss(this.forward(b, training), b.y),
    );
    return { ...history, seconds: (Date.now() - started) / 1000 };
  }

  /** Checks the rows and builds fresh weights and the scaler fitted on `train`. */
  protected prepare(train: SequenceRow[], valid: SequenceRow[] | undefined): void {
    checkSequenceRows(train, this.schema, 'train');
    if (valid) checkSequenceRows(valid, this.schema, 'valid');
    this.build(SequenceScaler.fit(train, this.schema));
  }

  /** The shared Trainer with this model's optimiser settings; early stopping when `earlyStop`. */
  protected trainer(epochs: number, earlyStop: boolean): Trainer {
    const c = this.config;
    return new Trainer({
      epochs,
      batchSize: c.batchSize,
      learningRate: c.learningRate,
      weightDecay: c.weightDecay,
      clipNorm: c.clipNorm > 0 ? c.clipNorm : undefined,
      seed: c.seed,
      earlyStopping: earlyStop
        ? { patience: c.patience > 0 ? c.patience : epochs + 1, restoreBest: true }
        : undefined,
      stepEventIntervalMs: 1000,
    });
  }

  /** Trains `params` on the loss with the model's training config; early stopping on the validation loss. */
  protected async trainParams(
    params: tf.Variable[],
    train: SequenceRow[],
    valid: SequenceRow[] | undefined,
    ctx: TrainContext,
    loss: (b: SequenceBatch, training: boolean) => tf.Scalar,
    epochs = this.config.epochs,
  ): Promise<Omit<SequenceFitReport, 'seconds'>> {
    const trainer = this.trainer(epochs, valid !== undefined);
    const history = await trainer.fit<SequenceBatch>(
      {
        params,
        train: new SequenceRows(train, this.encoder!),
        loss,
        validate: valid ? () => this.meanLoss(valid, loss) : undefined,
      },
      { ...ctx, progress: () => undefined },
    );
    throwIfCancelled(ctx.signal);
    return { epochs: history.epochs.length, bestEpoch: history.bestEpoch, bestValLoss: history.bestMetric };
  }

  /** Row-weighted mean of an eval-mode loss over rows. */
  protected meanLoss(rows: SequenceRow[], loss: (b: SequenceBatch, training: boolean) => tf.Scalar): number {
    let sum = 0;
    this.evalBatches(rows, (batch, idx) => {
      sum += tf.tidy(() => loss(batch, false)).dataSync()[0] * idx.length;
    });
    return sum / rows.length;
  }

  /** Eval-mode passes over rows, like lengths together (less padding). */
  protected evalBatches(rows: SequenceRow[], use: (batch: SequenceBatch, idx: number[]) => void): void {
    const order = rows.map((_, i) => i).sort((a, b) => rows[a].times.length - rows[b].times.length);
    for (let i = 0; i < order.length; i += EVAL_BATCH) {
      const idx = order.slice(i, i + EVAL_BATCH);
      const batch = this.encoder!.batch(idx.map((j) => rows[j]));
      try {
        use(batch, idx);
      } finally {
        tf.dispose([batch.x, batch.times, batch.mask, batch.y]);
      }
    }
  }

  predict(rows: SequenceRow[]): number[][] {
    if (!this.fitted)
      throw new Unprocessable(`${this.kind} is not fitted`, [{ field: 'model', reason: 'fit it first' }]);
    checkSequenceRows(
      rows.map((r) => ({ ...r, target: 0 })),
      this.schema,
      'rows',
    );
    const out: number[][] = new Array(rows.length);
    const { targetMean, targetStd } = this.encoder!.scaler.s;
    const classification = this.schema.task === 'classification';
    this.evalBatches(rows, (batch, idx) => {
      const y = tf.tidy(() => {
        const o = this.forward(batch, false);
        return classification ? tf.softmax(o) : o;
      });
      const v = y.arraySync() as number[][];
      y.dispose();
      idx.forEach((j, b) => (out[j] = classification ? v[b] : [v[b][0] * targetStd + targetMean]));
    });
    return out;
  }

  toArtifact(): SequenceArtifact {
    if (!this.fitted)
      throw new Unprocessable(`${this.kind} is not fitted`, [{ field: 'model', reason: 'fit it first' }]);
    return {
      family: 'sequences',
      kind: this.kind,
      config: { ...this.config },
      schema: this.schema,
      state: { scaler: this.encoder!.scaler.toJSON() },
      tensors: this.params!.dump(),
    };
  }

  loadArtifact(a: SequenceArtifact): void {
    const s = a?.state?.scaler;
    if (!s || !Array.isArray(s.numericMean) || s.numericMean.length !== this.schema.numericFeatures)
      throw new Unprocessable(`${this.kind} artifact is damaged: its scaler is missing or malformed`, [
        { field: 'artifact.state.scaler', reason: 'must hold the numeric means and stds' },
      ]);
    this.build(new SequenceScaler(s));
    try {
      this.params!.load(a.tensors);
    } catch (e) {
      this.dispose();
      throw new Unprocessable(`${this.kind} artifact is damaged: ${(e as Error).message}`, [
        { field: 'artifact.tensors', reason: (e as Error).message },
      ]);
    }
  }

  dispose(): void {
    this.params?.dispose();
    this.params = null;
    this.net = null;
    this.head = null;
  }
}
