import { throwIfCancelled, Unprocessable } from '@seqcast/core';
import { Trainer } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { requireFitted } from '../input-checks';
import type { FitContext } from '../types';
import { Seq2SeqScaler, Seq2SeqScalerJSON } from './feature-scaling';
import { checkSeq2SeqData, checkSeq2SeqInputs } from './input-checks';
import type { NetworkShape, Seq2SeqNetwork } from './network';
import { maskedMse, PaddedSequences, Seq2SeqBatch } from './padded-batches';
import type { Seq2SeqTrainingConfig } from './seq2seq-config';
import type { Seq2SeqArtifact, Seq2SeqData, Seq2SeqFitReport, Seq2SeqModel } from './types';

/** Sequences per forward pass in predict and validation. */
const EVAL_BATCH = 8;

/**
 * The shared part of every trained seq2seq kind: checking the data, z-scoring with deltas
 * (feature-scaling.ts), padded batches and the masked MSE, training through the shared
 * Trainer (Adam, best validation epoch restored, checkpoints and cancellation from ctx),
 * predict, and artifacts. A kind supplies its network, built once the data's sizes are known.
 */
export abstract class NeuralSeq2SeqModel<
  C extends Seq2SeqTrainingConfig = Seq2SeqTrainingConfig,
> implements Seq2SeqModel {
  readonly ratio: number;
  protected net: Seq2SeqNetwork | null = null;
  protected scaler: Seq2SeqScaler | null = null;

  constructor(
    readonly kind: string,
    readonly config: C & Record<string, unknown>,
  ) {
    this.ratio = config.ratio;
  }

  protected abstract build(shape: NetworkShape): Seq2SeqNetwork;

  get fitted(): boolean {
    return this.net !== null && this.scaler !== null;
  }

  get parameterCount(): number {
    return this.net?.params.count ?? 0;
  }

  /** The network (for specs and adapters); null before fit or load. */
  get network(): Seq2SeqNetwork | null {
    return this.net;
  }

  async fit(train: Seq2SeqData, valid: Seq2SeqData | undefined, ctx: FitContext): Promise<Seq2SeqFitReport> {
    const started = Date.now();
    const c = this.config;
    const shape = checkSeq2SeqData(train, this.ratio, 'train');
    if (valid)
      checkSeq2SeqData(valid, this.ratio, 'valid', {
        inputChannels: shape.inputChannels,
        targetChannels: shape.targetChannels,
      });
    const scaler = Seq2SeqScaler.fit(train.inputs, train.targets, c.appendDeltas);
    this.dispose();
    this.scaler = scaler;
    const net = this.build({ features: scaler.features, outputs: scaler.targetChannels, ratio: this.ratio });
    this.net = net;
    const trainSet = this.scaled(train);
    const validSet = valid ? this.scaled(valid) : null;
    const trainer = new Trainer({
      epochs: c.epochs,
      batchSize: c.batchSize,
      learningRate: c.learningRate,
      weightDecay: c.weightDecay,
      clipNorm: c.clipNorm > 0 ? c.clipNorm : undefined,
      seed: c.seed,
      // the reference keeps the best validation epoch; patience 0 never stops early
      earlyStopping: validSet
        ? { patience: c.patience > 0 ? c.patience : c.epochs + 1, restoreBest: true }
        : undefined,
      onEvent: ctx.onEvent,
    });
    const history = await trainer.fit<Seq2SeqBatch>(
      {
        params: net.params.trainable,
        train: trainSet,
        loss: (b, training) => maskedMse(net.forward(b.x, training), b.y, b.mask),
        validate: validSet ? () => this.errors(validSet).scaled : undefined,
        // the dropout streams, so a run resumed from a checkpoint draws the same masks
        state: {
          save: () => net.params.streamStates(),
          restore: (s) => net.params.restoreStreams(s as Record<string, number>),
        },
      },
      ctx,
    );
    throwIfCancelled(ctx.signal);
    return {
      sequences: trainSet.size,
      outputSteps: train.targets.reduce((n, seq) => n + seq[0].length, 0),
      seconds: (Date.now() - started) / 1000,
      epochs: history.epochs.map((e) => ({
        epoch: e.epoch,
        loss: e.loss,
        valMetric: e.valMetric,
        seconds: e.seconds,
      })),
      bestEpoch: history.bestEpoch,
      ...(validSet ? { validMseScaled: history.bestMetric, validMse: this.errors(validSet).data } : {}),
      ...(history.resumedFrom ? { resumedFrom: history.resumedFrom } : {}),
    };
  }

  predict(inputs: Float32Array[][]): Float32Array[][] {
    requireFitted(this.fitted, this.kind);
    const scaler = this.scaler!;
    checkSeq2SeqInputs(inputs, this.ratio, 'inputs', scaler.inputChannels);
    const O = scaler.targetChannels;
    const dummy = inputs.map((seq) => new Float32Array((seq[0].length / this.ratio) * O));
    const set = new PaddedSequences(
      inputs.map((seq) => scaler.scaleInputs(seq)),
      dummy,
      scaler.features,
      O,
      this.ratio,
    );
    const out: Float32Array[][] = new Array(inputs.length);
    this.evalBatches(set, (rows, pred) => {
      const T = pred.shape[1];
      const values = pred.dataSync() as Float32Array;
      rows.forEach((r, b) => {
        const steps = set.lengthOf(r);
        out[r] = scaler.unscaleTargets(values.subarray(b * T * O, b * T * O + steps * O), steps);
      });
    });
    return out;
  }

  /** Masked MSE of the eval-mode network on a scaled set: z-scored, and in the targets' units. */
  protected errors(set: PaddedSequences): { scaled: number; data: number } {
    const std = this.scaler!.targetStd;
    const O = set.outputs;
    const sse = new Float64Array(O);
    let steps = 0;
    this.evalBatches(set, (rows, pred) => {
      const T = pred.shape[1];
      const p = pred.dataSync();
      rows.forEach((r, b) => {
        const n = set.lengthOf(r);
        const y = set.targets[r];
        for (let t = 0; t < n; t++)
          for (let o = 0; o < O; o++) sse[o] += (p[(b * T + t) * O + o] - y[t * O + o]) ** 2;
        steps += n;
      });
    });
    let scaled = 0;
    let data = 0;
    for (let o = 0; o < O; o++) {
      scaled += sse[o];
      data += sse[o] * std[o] ** 2;
    }
    return { scaled: scaled / (steps * O), data: data / (steps * O) };
  }

  /** Eval-mode forward passes over a set, sequences of like length together. */
  private evalBatches(set: PaddedSequences, use: (rows: number[], pred: tf.Tensor3D) => void): void {
    const order = Array.from({ length: set.size }, (_, i) => i).sort(
      (a, b) => set.lengthOf(a) - set.lengthOf(b),
    );
    for (let i = 0; i < order.length; i += EVAL_BATCH) {
      const rows = order.slice(i, i + EVAL_BATCH);
      const batch = set.batch(rows);
      const pred = tf.tidy(() => this.net!.forward(batch.x, false));
      try {
        use(rows, pred);
      } finally {
        tf.dispose([batch.x, batch.y, batch.mask, pred]);
      }
    }
  }

  private scaled(data: Seq2SeqData): PaddedSequences {
    const s = this.scaler!;
    return new PaddedSequences(
      data.inputs.map((seq) => s.scaleInputs(seq)),
      data.targets.map((seq) => s.scaleTargets(seq)),
      s.features,
      s.targetChannels,
      this.ratio,
    );
  }

  toArtifact(): Seq2SeqArtifact {
    requireFitted(this.fitted, this.kind);
    return {
      family: 'seq2seq',
      kind: this.kind,
      config: { ...this.config },
      state: { scaler: this.scaler!.toJSON() },
      tensors: this.net!.params.dump(),
    };
  }

  /** Puts back a fitted state from `toArtifact` (the config is this model's, parsed by the registry). */
  loadArtifact(a: Seq2SeqArtifact): void {
    const s = (a.state as { scaler?: Seq2SeqScalerJSON } | undefined)?.scaler;
    const ok =
      s &&
      Number.isInteger(s.inputChannels) &&
      Number.isInteger(s.targetChannels) &&
      Array.isArray(s.inputMean) &&
      s.inputMean.length === s.inputStd?.length &&
      s.inputMean.length === s.inputChannels * (s.appendDeltas ? 2 : 1) &&
      Array.isArray(s.targetMean) &&
      s.targetMean.length === s.targetChannels &&
      s.targetStd?.length === s.targetChannels;
    if (!ok)
      throw new Unprocessable(`${this.kind} artifact is damaged: its scaler is missing or malformed`, [
        { field: 'artifact.state.scaler', reason: 'must hold the input and target means and stds' },
      ]);
    const scaler = Seq2SeqScaler.fromJSON(s);
    const net = this.build({ features: scaler.features, outputs: scaler.targetChannels, ratio: this.ratio });
    try {
      net.params.load(a.tensors, this.kind);
    } catch (e) {
      net.params.dispose();
      throw e;
    }
    this.dispose();
    this.scaler = scaler;
    this.net = net;
  }

  dispose(): void {
    this.net?.params.dispose();
    this.net = null;
    this.scaler = null;
  }
}
