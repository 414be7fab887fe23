import { Unprocessable, ValidationFailed } from '@seqcast/core';
import * as tf from '@tensorflow/tfjs';
import type { Forecast, ForecastMeta } from '../forecast';
import type { Forecaster, ForecasterArtifact } from '../forecaster';
import type { TimedFitOptions } from '../ls4/timed-series';
import { asTimed, TimedForecaster } from '../timed-forecaster';
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

/** A keyed series with the time of every row of its parts (one axis for all series). */
export interface TimedKeyedSeries extends KeyedSeries {
  trainTimes: ArrayLike<number>;
  validTimes?: ArrayLike<number>;
}

/** A forecast request with the time of each history value and of each step to forecast. */
export interface TimedForecastRequest extends SeriesForecastRequest {
  /** One time per history value (the history's channels are all this long). */
  times: ArrayLike<number>;
  /** One time per step, after the history's last. */
  future: ArrayLike<number>;
}

/**
 * sqrt(variance), or 1 where the variance is 0 (a constant context keeps its values), with
 * the gradient of that piecewise map: tfjs has no gradient for the comparison, and sqrt's is
 * infinite at 0.
 */
const stdOrOne = tf.customGrad(((variance: tf.Tensor, save: tf.GradSaveFunc) => {
  const positive = tf.greater(variance, 0);
  const std = tf.where(positive, tf.sqrt(variance), tf.onesLike(variance));
  save([std, positive]);
  return {
    value: std,
    gradFunc: (dy: tf.Tensor, [sd, pos]: tf.Tensor[]) =>
      tf.where(pos, tf.div(dy, tf.mul(sd, 2)), tf.zerosLike(dy)),
  };
}) as never) as (variance: tf.Tensor) => tf.Tensor; // customGrad types its inputs as (Tensor | GradSaveFunc)

const tail = (v: ArrayLike<number>, n: number) => Array.prototype.slice.call(v, v.length - n) as number[];

/**
 * A forecaster with its per-series scaling inside (Darts' pipeline of a scaler and a model):
 * scales are fitted on each series' training rows, applied to contexts and inverted on every
 * path of the output (point, quantiles, samples, intervals), and saved in the model's
 * artifact state. Serving code only calls `predictSeries`.
 *
 * A scale-free model (capabilities.scaleFree: the per-series statistical kinds) gets identity
 * scales on every path: decided here once, from the model, whatever scaler the caller passes
 * (training, backtests, calibration and loaded artifacts all build their pipeline here).
 */
export class ScaledForecaster implements Forecaster {
  readonly scaler: SeriesScaler;

  constructor(
    readonly model: Forecaster,
    scaler: SeriesScaler = new SeriesScaler(),
  ) {
    this.scaler = scaler.withIdentity(model.capabilities.scaleFree === true);
  }

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

  /**
   * Fits each series' scale on its training rows (data units), then the model on the scaled
   * rows; `valid` is scaled by its series' training scale. The train job trains through it.
   */
  fitSeries(series: KeyedSeries[], ctx: FitContext): Promise<FitReport> {
    for (const s of series) this.scaler.fit(s.key, s.train);
    const valid = series.filter((s) => s.valid).map((s) => this.scaler.apply(s.key, s.valid!));
    return this.model.fit(
      series.map((s) => this.scaler.apply(s.key, s.train)),
      valid.length ? valid : undefined,
      ctx,
    );
  }

  /** The model as a TimedForecaster, or null when it reads rows as equally spaced steps. */
  get timed(): TimedForecaster | null {
    return asTimed(this.model);
  }

  private requireTimed(): TimedForecaster {
    const m = this.timed;
    if (!m)
      throw new Unprocessable(`${this.kind} reads rows as equally spaced steps, not times`, [
        { field: 'kind', reason: `${this.kind} has no 'timed' capability` },
      ]);
    return m;
  }

  /**
   * fitSeries for a timed model: scales fitted and applied as fitSeries does, the model fitted
   * on the scaled rows with the time of each (TimedForecaster.fitTimed).
   */
  fitTimedSeries(series: TimedKeyedSeries[], ctx: FitContext, options?: TimedFitOptions): Promise<FitReport> {
    const model = this.requireTimed();
    for (const s of series) this.scaler.fit(s.key, s.train);
    const valid = series
      .filter((s) => s.valid)
      .map((s) => ({ values: this.scaler.apply(s.key, s.valid!), times: s.validTimes! }));
    return model.fitTimed(
      series.map((s) => ({ values: this.scaler.apply(s.key, s.train), times: s.trainTimes })),
      valid.length ? valid : undefined,
      ctx,
      options,
    );
  }

  /** predictSeries for a timed model: the context's times and the steps' are read too. */
  predictTimedSeries(req: TimedForecastRequest, options?: TimedFitOptions): Forecast {
    return this.predictTimedSeriesBatch([req], options)[0];
  }

  /** predictTimedSeries for many requests in shared forward passes (one horizon for all). */
  predictTimedSeriesBatch(reqs: TimedForecastRequest[], options?: TimedFitOptions): Forecast[] {
    const model = this.requireTimed();
    if (!reqs.length) return [];
    const scales = reqs.map((r) => this.scaler.scalesFor(r.seriesKey, r.history));
    const contexts = reqs.map((r, i) => {
      const values = this.context(r.history, scales[i]);
      return { values, times: tail(r.times, Math.min(r.times.length, values[0]?.length ?? 0)) };
    });
    const out = model.predictTimedBatch(
      contexts,
      reqs.map((r) => r.future),
      options,
    );
    return out.map((f, i) => this.unscale(f, scales[i], reqs[i]));
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

  /**
   * How many of a history's newest values a forecast of `seriesKey` reads: the lookback when
   * the series' scale is known (its training scale, or identity for a scale-free model), all
   * of them otherwise (an unseen series is scaled by its whole history). Servers cut longer
   * contexts to this before validating them.
   */
  historyRead(seriesKey: string | undefined): number {
    return this.scaler.knownScales(seriesKey) ? this.lookback : Infinity;
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
   * The model's forward with the pipeline's scaling as tf ops, for gradients through the
   * served model. A row whose series key the scaler holds is scaled by that series' fitted
   * scales, so `forward(x, h, key)` is `predictSeries({ seriesKey: key, history: x, horizon: h })`
   * (to float32 precision: the scaling runs in float32 here, in float64 there). A row without a
   * key, or with one the scaler doesn't hold, is standardised by its own mean and population
   * std per channel (std 0 gives 1), as `predict` and `predictSeries` do for an unseen series
   * (a scale-free model's rows all keep their values). `seriesKey` is one key for every row, or one per row of the batch.
   */
  forward(
    context: tf.Tensor3D,
    horizon: number,
    seriesKey?: string | ReadonlyArray<string | undefined>,
  ): tf.Tensor3D {
    const { mean, std } = this.forwardScales(context, seriesKey);
    const out = this.model.forward(tf.div(tf.sub(context, mean), std) as tf.Tensor3D, horizon);
    return tf.add(tf.mul(out, std), mean) as tf.Tensor3D;
  }

  /** Mean and std per row and channel, [batch, 1, channels]: a series' known scales, else the row's own. */
  private forwardScales(
    context: tf.Tensor3D,
    seriesKey: string | ReadonlyArray<string | undefined> | undefined,
  ): { mean: tf.Tensor; std: tf.Tensor } {
    const [B, , C] = context.shape;
    const keys: ReadonlyArray<string | undefined> =
      typeof seriesKey === 'string' || seriesKey === undefined ? new Array(B).fill(seriesKey) : seriesKey;
    if (keys.length !== B)
      throw new ValidationFailed(`${keys.length} series keys for a batch of ${B} contexts`, [
        { field: 'seriesKey', reason: `one key, or one per row (${B})` },
      ]);
    const held = keys.map((k) => this.scaler.knownScales(k, C));
    const fitted = (pick: (s: SeriesScale) => number, otherwise: number) =>
      tf.tensor3d(
        held.flatMap((s) => (s ? s.map(pick) : new Array<number>(C).fill(otherwise))),
        [B, 1, C],
      );
    // tensors for the caller's tf.tidy to release, as every forward's are
    if (held.every((s) => s)) return { mean: fitted((s) => s.mean, 0), std: fitted((s) => s.std, 1) };
    const own = tf.moments(context, 1, true);
    const ownStd = stdOrOne(own.variance);
    if (held.every((s) => !s)) return { mean: own.mean, std: ownStd };
    const mask = tf.tensor3d(
      held.flatMap((s) => new Array<boolean>(C).fill(s !== undefined)),
      [B, 1, C],
      'bool',
    );
    return {
      mean: tf.where(
        mask,
        fitted((s) => s.mean, 0),
        own.mean,
      ),
      std: tf.where(
        mask,
        fitted((s) => s.std, 1),
        ownStd,
      ),
    };
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
