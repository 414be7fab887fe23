import { detachedContext, throwIfCancelled } from '@seqcast/core';
import { PointErrorAccumulator } from '@seqcast/numeric';
import type * as tf from '@tensorflow/tfjs';
import { Forecast } from '../forecast';
import type { Forecaster, ForecasterArtifact, ForecasterCapabilities, UpdateReport } from '../forecaster';
import { checkPredictRequest, checkTrainingSeries, requireFitted } from '../input-checks';
import { forwardByChannel } from '../trainable/channel-rows';
import type { FitContext, FitReport, Series } from '../types';

/**
 * Shared plumbing of the JSON-state models (baselines, Classic-AR, linear direct maps):
 * request checks, channel-independent prediction of each channel from its own history,
 * validation error, artifacts, the tensor forward and update. Subclasses implement
 * `forecastChannel`, `forwardRows` (the same map as tf ops) and, when they learn from
 * data, `fitSeries` and `updateSeries`.
 */
export abstract class ChannelwiseForecaster implements Forecaster {
  abstract readonly kind: string;
  abstract readonly lookback: number;
  abstract readonly maxHorizon: number;
  /** Models with nothing to fit only check the data an update brings. */
  readonly capabilities: ForecasterCapabilities = { differentiable: true, update: 'stateless' };
  protected isFitted = false;

  constructor(readonly config: Readonly<Record<string, unknown>>) {}

  get fitted(): boolean {
    return this.isFitted;
  }

  /** Horizon of the validation error `fit` reports (1 = one-step; direct models use their full horizon). */
  protected get validationHorizon(): number {
    return 1;
  }

  /** Fits on the pooled training channels (default: nothing to learn). */
  protected fitSeries(_train: Series[], _ctx: FitContext): number {
    return 0;
  }

  /** Adds new observations to what was fitted (default: nothing learnt); returns the windows used. */
  protected updateSeries(_newObservations: Series[], _ctx: FitContext): number {
    return 0;
  }

  /** Forecast of one channel: `history` has at least `lookback` values. */
  protected abstract forecastChannel(history: Float32Array, horizon: number): Float32Array;

  /** forecastChannel as tf ops on rows [N, time] -> [N, horizon]. */
  protected abstract forwardRows(x: tf.Tensor2D, horizon: number): tf.Tensor2D;

  protected abstract state(): Record<string, unknown>;

  async fit(train: Series[], valid: Series[] | undefined, ctx: FitContext): Promise<FitReport> {
    const started = Date.now();
    checkTrainingSeries(train, 'train');
    if (valid) checkTrainingSeries(valid, 'valid');
    throwIfCancelled(ctx.signal);
    ctx.progress(0, `fitting ${this.kind}`);
    const windows = this.fitSeries(train, ctx);
    this.isFitted = true;
    const report: FitReport = { windows, seconds: (Date.now() - started) / 1000 };
    if (valid) report.validMse = this.validationError(valid, this.validationHorizon);
    ctx.progress(1, `fitted ${this.kind}`);
    report.seconds = (Date.now() - started) / 1000;
    return report;
  }

  /** One-step (or `horizon`-step) rolling error over all positions of the validation series. */
  protected validationError(valid: Series[], horizon: number): number | undefined {
    const acc = new PointErrorAccumulator();
    for (const s of valid) {
      for (const ch of s) {
        for (let t = this.lookback; t + horizon <= ch.length; t++) {
          acc.add(ch.subarray(t, t + horizon), this.forecastChannel(ch.subarray(0, t), horizon), NaN);
        }
      }
    }
    const { count, mse } = acc.result();
    return count ? mse : undefined;
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

  forward(context: tf.Tensor3D, horizon: number): tf.Tensor3D {
    requireFitted(this.isFitted, this.kind);
    return forwardByChannel(context, horizon, this, (x, h) => this.forwardRows(x, h));
  }

  async update(newObservations: Series[], ctx: FitContext = detachedContext()): Promise<UpdateReport> {
    const started = Date.now();
    requireFitted(this.isFitted, this.kind);
    checkTrainingSeries(newObservations, 'newObservations');
    throwIfCancelled(ctx.signal);
    const windows = this.updateSeries(newObservations, ctx);
    return { windows, seconds: (Date.now() - started) / 1000 };
  }

  toArtifact(): ForecasterArtifact {
    requireFitted(this.isFitted, this.kind);
    return { kind: this.kind, config: { ...this.config }, state: this.state(), tensors: {} };
  }

  dispose(): void {
    /* nothing held outside the JS heap */
  }
}
