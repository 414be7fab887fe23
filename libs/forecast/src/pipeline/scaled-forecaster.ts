import * as tf from '@tensorflow/tfjs';
import type { Forecast, ForecastMeta } from '../forecast';
import type { Forecaster, ForecasterArtifact } from '../forecaster';
import type { FitContext, FitReport, Series } from '../types';
import { scaleValues, SeriesScale, unscaleValues } from './series-scale';
import { SeriesScaler } from './series-scaler';

/** Key of the pipeline's own part in the artifact state (the wrapped model never sees it). */
export const PIPELINE_STATE = 'pipeline';

export interface SeriesForecastRequest {
  /** The series forecast; its scale is the one fitted in training, else fitted on `history`. */
  seriesKey?: string;
  /** History per channel, oldest first; only the last `lookback` values are read as context. */
  history: ReadonlyArray<ArrayLike<number>>;
  horizon: number;
  /** Added to the forecast's meta (origin, frequency, channel names, model version). */
  meta?: ForecastMeta;
}

export interface KeyedSeries {
  key: string;
  train: Series;
  valid?: Series;
}

const tail = (v: ArrayLike<number>, n: number) => Array.prototype.slice.call(v, v.length - n) as number[];

/**
 * A forecaster with its per-series scaling inside (Darts' pipeline of a scaler and a model):
 * scales are fitted on each series' training rows, applied to contexts and inverted on every
 * path of the output (point, quantiles, samples, intervals), and saved in the model's
 * artifact state. Serving code only calls `predictSeries`.
 */
export class ScaledForecaster implements Forecaster {
  constructor(
    readonly model: Forecaster,
    readonly scaler: SeriesScaler = new SeriesScaler(),
  ) {}

  get kind(): string {
    return this.model.kind;
  }
  get config(): Readonly<Record<string, unknown>> {
    return this.model.config;
  }
  get lookback(): number {
    return this.model.lookback;
  }
  get maxHorizon(): number {
    return this.model.maxHorizon;
  }
  get fitted(): boolean {
    return this.model.fitted;
  }
  get capabilities(): Forecaster['capabilities'] {
    return this.model.capabilities;
  }

  /** Fits each series' scale on its training rows, then the model on the scaled rows. */
  fitSeries(series: KeyedSeries[], ctx: FitContext): Promise<FitReport> {
    for (const s of series) this.scaler.fit(s.key, s.train);
    const valid = series.filter((s) => s.valid).map((s) => this.scaler.apply(s.key, s.valid!));
    return this.model.fit(
      series.map((s) => this.scaler.apply(s.key, s.train)),
      valid.length ? valid : undefined,
      ctx,
    );
  }

  /**
   * Fits the model on rows of series whose scales the scaler already holds, keeping them:
   * a scale fitted on other rows than the model's (a backtest scales by everything before
   * its first origin), or a bootstrap member sharing the scaler of the model it stands for.
   */
  async fitKnownSeries(
    series: ReadonlyArray<{ key: string; train: Series }>,
    ctx: FitContext,
  ): Promise<FitReport> {
    return this.model.fit(
      series.map((s) => this.scaler.apply(s.key, s.train)),
      undefined,
      ctx,
    );
  }

  /** Unkeyed series are keyed by their position; `valid[i]` is scaled like `train[i]`. */
  fit(train: Series[], valid: Series[] | undefined, ctx: FitContext): Promise<FitReport> {
    return this.fitSeries(
      train.map((t, i) => ({ key: String(i), train: t, valid: valid?.[i] })),
      ctx,
    );
  }

  predictSeries(req: SeriesForecastRequest): Forecast {
    const scales = this.scaler.scalesFor(req.seriesKey, req.history);
    const f = this.model.predict(this.context(req.history, scales), req.horizon);
    return this.unscale(f, scales, req);
  }

  /** Contexts of series the model never saw: each scaled by its own history. */
  predict(context: Series, horizon: number): Forecast {
    return this.predictSeries({ history: context, horizon });
  }

  predictBatch(contexts: Series[], horizon: number): Forecast[] {
    return this.predictSeriesBatch(contexts.map((history) => ({ history, horizon })));
  }

  /** Many series in one forward pass of the model (the horizon of the first request for all). */
  predictSeriesBatch(reqs: SeriesForecastRequest[]): Forecast[] {
    if (!reqs.length) return [];
    const scales = reqs.map((r) => this.scaler.scalesFor(r.seriesKey, r.history));
    const out = this.model.predictBatch(
      reqs.map((r, i) => this.context(r.history, scales[i])),
      reqs[0].horizon,
    );
    return out.map((f, i) => this.unscale(f, scales[i], reqs[i]));
  }

  /**
   * The model's forward with unkeyed scaling as tf ops: each context row and channel is
   * standardised by its own mean and population std (std 0 gives 1), the output inverted.
   */
  forward(context: tf.Tensor3D, horizon: number): tf.Tensor3D {
    const { mean, variance } = tf.moments(context, 1, true);
    const sd = tf.sqrt(variance);
    const std = tf.where(tf.greater(sd, 0), sd, tf.onesLike(sd));
    const out = this.model.forward(tf.div(tf.sub(context, mean), std) as tf.Tensor3D, horizon);
    return tf.add(tf.mul(out, std), mean) as tf.Tensor3D;
  }

  /**
   * Feeds new rows to the model on its scale: `newObservations[i]` continues the i-th series
   * fitted (in fit order); a further entry is a new series, scaled by its own rows.
   */
  update(newObservations: Series[], ctx?: FitContext): ReturnType<Forecaster['update']> {
    const keys = this.scaler.keys;
    const scaled = newObservations.map((s, i) => {
      const key = keys[i] ?? String(i);
      if (!this.scaler.has(key)) this.scaler.fit(key, s);
      return this.scaler.apply(key, s);
    });
    return this.model.update(scaled, ctx);
  }

  private context(history: ReadonlyArray<ArrayLike<number>>, scales: SeriesScale[]): Series {
    return history.map((v, c) => scaleValues(tail(v, Math.min(v.length, this.lookback)), scales[c]));
  }

  private unscale(f: Forecast, scales: SeriesScale[], req: SeriesForecastRequest): Forecast {
    const out = f.mapValues((v, c) => unscaleValues(v, scales[c]));
    const meta = { ...(req.seriesKey !== undefined ? { seriesKey: req.seriesKey } : {}), ...req.meta };
    return Object.keys(meta).length ? out.withMeta(meta) : out;
  }

  toArtifact(): ForecasterArtifact {
    const a = this.model.toArtifact();
    return { ...a, state: { ...a.state, [PIPELINE_STATE]: { scaler: this.scaler.toJSON() } } };
  }

  /**
   * Rebuilds the pipeline: the model from its artifact (without the pipeline's part), the
   * scaler from the state, or for artifacts saved before the pipeline from `legacyScaler`
   * (the manifest's `scaler` field, where the scales were kept then).
   */
  static fromArtifact(
    artifact: ForecasterArtifact,
    build: (artifact: ForecasterArtifact) => Forecaster,
    legacyScaler?: unknown,
  ): ScaledForecaster {
    const { [PIPELINE_STATE]: own, ...state } = artifact.state;
    const scaler = (own as { scaler?: unknown } | undefined)?.scaler ?? legacyScaler;
    return new ScaledForecaster(build({ ...artifact, state }), SeriesScaler.fromJSON(scaler));
  }

  dispose(): void {
    this.model.dispose();
  }
}
