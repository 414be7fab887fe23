import { detachedContext, throwIfCancelled } from '@seqcast/core';
import { FitSpec, Trainer, TrainDataset, TrainerOptions, TrainingHistory } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { WindowSet } from '../data/windows';
import { Forecast } from '../forecast';
import type { Forecaster, ForecasterArtifact, ForecasterCapabilities, UpdateReport } from '../forecaster';
import { checkPredictRequest, checkTrainingSeries, requireFitted } from '../input-checks';
import type { FitContext, FitReport, Series } from '../types';
import { forwardByChannel } from './channel-rows';
import { DeclaredParams, ParamDeclaration } from './declared-params';
import { SeriesTails } from './series-tails';

/** What a model hands the shared Trainer for one fit. */
export interface TrainingPlan<B> {
  options: TrainerOptions;
  train: TrainDataset<B>;
  loss(batch: B, training: boolean): tf.Scalar;
  validate?: () => number;
  /** What the loss keeps between steps besides the weights (its Rngs, a step count): see FitSpec.state. */
  state?: FitSpec<B>['state'];
}

/** How `update` steps (see TrainableForecaster.update). */
export interface UpdateOptions {
  /** Optimiser steps (default 5). */
  steps?: number;
  /** AdamW learning rate (default 1e-3), constant, no weight decay. */
  learningRate?: number;
  /** Windows per step (default 256): steps cycle through the new windows in order. */
  batchSize?: number;
}

/** Sizes every trained forecaster has: windows of `lookback` inputs and `horizon` targets. */
export interface TrainableShape {
  lookback: number;
  /** Outputs of one forward pass, the targets of a training window. */
  horizon: number;
  /** Longest horizon predict accepts (> horizon where the model recurses). */
  maxHorizon: number;
}

interface Windows {
  x: tf.Tensor2D;
  y: tf.Tensor2D;
}

const PREDICT_ROWS = 256;

/**
 * The series counterpart of the event zoo's NeuralEventModel: parameters declared once
 * (DeclaredParams: initial values, artifact tensors, loading), trained by the shared
 * Trainer from a model's TrainingPlan, a public differentiable `forward`, and `update`.
 * A model supplies `forwardRows` (raw windows [N, lookback] -> forecasts [N, horizon] in
 * data units, tf ops) and `trainingPlan`; it may replace `forecastRows` (predict's path)
 * with a faster one computing the same values.
 */
export abstract class TrainableForecaster<
  C extends Record<string, unknown> = Record<string, unknown>,
> implements Forecaster {
  readonly capabilities: ForecasterCapabilities = { differentiable: true, update: 'gradient' };
  readonly lookback: number;
  readonly maxHorizon: number;
  protected readonly horizon: number;
  protected readonly params: DeclaredParams;
  protected isFitted = false;
  /** Ends of the series seen, so that update forms the windows straddling old and new data. */
  protected tails: SeriesTails | null = null;

  constructor(
    readonly kind: string,
    readonly config: C,
    shape: TrainableShape,
    declarations: ParamDeclaration[],
    initSeed: number,
  ) {
    this.lookback = shape.lookback;
    this.horizon = shape.horizon;
    this.maxHorizon = shape.maxHorizon;
    this.params = new DeclaredParams(kind, declarations, initSeed);
  }

  get fitted(): boolean {
    return this.isFitted;
  }

  /** Number of trained parameters. */
  get parameterCount(): number {
    return this.params.count;
  }

  /** The trained tf.Variables, in declaration order (for adapters that freeze or step them). */
  get variables(): tf.Variable[] {
    return this.params.list();
  }

  // ---- what a model supplies ---------------------------------------------------------------

  /** Raw windows [N, lookback] -> forecasts [N, horizon] in data units, differentiable. */
  protected abstract forwardRows(x: tf.Tensor2D, horizon: number): tf.Tensor2D;

  /** The Trainer's options, dataset, loss and validation for one fit (see `train`). */
  protected trainingPlan(_windows: WindowSet, _valid: WindowSet | null, _ctx: FitContext): TrainingPlan<unknown> {
    throw new Error(`${this.kind} trains by a loop of its own, not the shared Trainer`);
  }

  /**
   * One fit's training from the declared initial values: the shared Trainer on the model's
   * plan. A model whose gradient is cheap to write out may train by a loop of its own
   * (AR-Net: one linear layer, trained in plain JS at the reference's step counts).
   */
  protected async train(
    windows: WindowSet,
    validWindows: WindowSet | null,
    ctx: FitContext,
  ): Promise<{ windows: number; history: TrainingHistory }> {
    const plan = this.trainingPlan(windows, validWindows, ctx);
    const history = await new Trainer(plan.options).fit(
      { params: this.params.list(), train: plan.train, loss: plan.loss, validate: plan.validate, state: plan.state },
      ctx,
    );
    return { windows: plan.train.size, history };
  }

  /** Called whenever the weights changed (fit, update, load). */
  protected weightsChanged(): void {}

  /** JSON state saved beside the weights (besides the tails). */
  protected state(): Record<string, unknown> {
    return {};
  }

  // ---- shared parts ------------------------------------------------------------------------

  forward(context: tf.Tensor3D, horizon: number): tf.Tensor3D {
    return forwardByChannel(context, horizon, this, (x, h) => this.forwardRows(x, h));
  }

  /** Forecasts for m raw windows (row-major [m, lookback]) -> [m, horizon] in data units. */
  protected forecastRows(x: Float32Array, m: number, horizon: number): Float32Array {
    // values read outside the tidy: a tidy walks what it returns, a typed array element by element
    const pred = tf.tidy(() => this.forwardRows(tf.tensor2d(x, [m, this.lookback]), horizon));
    const out = pred.dataSync() as Float32Array;
    pred.dispose();
    return out;
  }

  async fit(train: Series[], valid: Series[] | undefined, ctx: FitContext): Promise<FitReport> {
    const started = Date.now();
    checkTrainingSeries(train, 'train');
    if (valid) checkTrainingSeries(valid, 'valid');
    const windows = WindowSet.require(train, this.lookback, this.horizon, 'train');
    const validWindows = valid ? new WindowSet(valid, this.lookback, this.horizon) : null;
    // fit starts from the declared initial values (update is the verb that continues)
    this.params.initialise();
    const { windows: used, history } = await this.train(windows, validWindows, ctx);
    throwIfCancelled(ctx.signal);
    this.tails = SeriesTails.of(train, this.lookback + this.horizon);
    this.isFitted = true;
    this.weightsChanged();
    return {
      windows: used,
      seconds: (Date.now() - started) / 1000,
      epochs: history.epochs.map((e) => ({
        epoch: e.epoch,
        loss: e.loss,
        valMetric: e.valMetric,
        seconds: e.seconds,
      })),
      bestEpoch: history.bestEpoch,
      validMse: history.bestMetric ?? history.epochs[history.epochs.length - 1]?.valMetric,
      ...(history.resumedFrom ? { resumedFrom: history.resumedFrom } : {}),
    };
  }

  /**
   * A few AdamW steps (options.steps, default 5; constant learning rate, default 1e-3; no
   * weight decay; a fresh optimiser, so a reloaded model updates like the live one) on the
   * windows that end in the new data, minimising the horizon MSE of `forward`. Each step
   * is one batch, the steps cycling through the windows in order. The kept tails of the
   * training series join the new data, so windows that straddle both are used.
   */
  async update(
    newObservations: Series[],
    ctx: FitContext = detachedContext(),
    options: UpdateOptions = {},
  ): Promise<UpdateReport> {
    const started = Date.now();
    requireFitted(this.isFitted, this.kind);
    checkTrainingSeries(newObservations, 'newObservations');
    const L = this.lookback;
    const H = this.horizon;
    const joined = this.tails ? this.tails.extend(newObservations) : newObservations;
    const windows = WindowSet.require(joined, L, H, 'newObservations');
    const steps = options.steps ?? 5;
    const batchSize = Math.min(windows.size, options.batchSize ?? 256);
    const xBuf = new Float32Array(batchSize * L);
    const yBuf = new Float32Array(batchSize * H);
    const trainer = new Trainer({
      epochs: 1,
      batchSize,
      learningRate: options.learningRate ?? 1e-3,
      shuffle: false,
      onEvent: ctx.onEvent,
    });
    await trainer.fit<Windows>(
      {
        params: this.params.list(),
        train: {
          size: steps * batchSize,
          batch: (rows) => {
            const m = rows.length;
            windows.fill(
              rows.map((r) => r % windows.size),
              xBuf,
              yBuf,
            );
            return {
              x: tf.tensor2d(xBuf.slice(0, m * L), [m, L]),
              y: tf.tensor2d(yBuf.slice(0, m * H), [m, H]),
            };
          },
        },
        loss: (b) => tf.mean(tf.square(tf.sub(this.forwardRows(b.x, H), b.y))) as tf.Scalar,
      },
      // a training run's checkpoints are not this update's
      { signal: ctx.signal, progress: ctx.progress },
    );
    this.tails = (this.tails ?? SeriesTails.of([], L + H)).keep(joined);
    this.weightsChanged();
    return { windows: windows.size, steps, seconds: (Date.now() - started) / 1000 };
  }

  predict(context: Series, horizon: number): Forecast {
    return this.predictBatch([context], horizon)[0];
  }

  predictBatch(contexts: Series[], horizon: number): Forecast[] {
    requireFitted(this.isFitted, this.kind);
    for (const s of contexts) checkPredictRequest(s, horizon, this);
    const L = this.lookback;
    // every channel of every context is one row (channel independence)
    const rows: Float32Array[] = [];
    for (const s of contexts) for (const ch of s) rows.push(ch.subarray(ch.length - L));
    const preds: Float32Array[] = [];
    for (let start = 0; start < rows.length; start += PREDICT_ROWS) {
      const m = Math.min(PREDICT_ROWS, rows.length - start);
      const x = new Float32Array(m * L);
      for (let i = 0; i < m; i++) x.set(rows[start + i], i * L);
      const out = this.forecastRows(x, m, horizon);
      for (let i = 0; i < m; i++) preds.push(out.slice(i * horizon, (i + 1) * horizon));
    }
    let r = 0;
    return contexts.map((s) => new Forecast({ point: s.map(() => preds[r++]) }));
  }

  toArtifact(): ForecasterArtifact {
    requireFitted(this.isFitted, this.kind);
    const state = this.state();
    if (this.tails) state.tails = this.tails.toState();
    return { kind: this.kind, config: { ...this.config }, state, tensors: this.params.dump() };
  }

  /** Weights and tails from an artifact (of the same kind and config). */
  protected restore(a: ForecasterArtifact): this {
    try {
      this.params.load(a.tensors);
    } catch (e) {
      this.dispose();
      throw e;
    }
    this.tails = SeriesTails.fromState(a.state.tails, this.lookback + this.horizon);
    this.isFitted = true;
    this.weightsChanged();
    return this;
  }

  dispose(): void {
    this.params.dispose();
  }
}
