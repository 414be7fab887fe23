import { throwIfCancelled, Unprocessable } from '@seqcast/core';
import type { WorkContext } from '@seqcast/core';
import {
  ScaledForecaster,
  type FitContext,
  type Forecast,
  type Forecaster,
  type Series,
  type TimedKeyedSeries,
} from '@seqcast/forecast';
import { PointErrorAccumulator, seasonalNaiveScale } from '@seqcast/numeric';
import { checkModelFits, checkReadRangesFinite, resolveOptions, ResolvedOptions } from './backtest-inputs';
import type {
  BacktestChartData,
  BacktestModel,
  BacktestOptions,
  BacktestResult,
  FoldMetrics,
  ModelSummary,
  SeriesPlan,
} from './backtest-types';
import { checkLengths, foldOrigins } from './fold-plan';
import { crpsSource, forecastCrps, type CrpsSource } from './forecast-crps';
import { checkTimedModel, fitTimedFold, predictTimedFold } from './timed-folds';

/** Share of the training part held out as `valid` (when that part still holds a full window). */
const VALID_FRACTION = 0.1;

/** The channels the models see, per series: the chosen one, or all. */
interface SeriesView {
  key: string;
  times: Float64Array;
  channels: Float32Array[];
  origins: number[];
  /** The rows' times on the timed models' axis (BacktestSeries.axisTimes). */
  axis?: Float64Array;
}

/**
 * Rolling-origin evaluation (Tashman 2000): for each model, forecast `horizon` steps from
 * each of `folds` origins at the end of every series, from the `lookback` values before
 * the origin, and measure the forecasts against the truth. With refit 'once' a model is
 * fitted on the data before each series' first origin and reused for every fold (no fold
 * leaks into training); with 'every-fold' it is refitted on all data before each origin.
 */
export async function runBacktest(options: BacktestOptions, ctx: WorkContext): Promise<BacktestResult> {
  const o = resolveOptions(options);
  checkLengths(
    options.series.map((s) => ({ key: s.key, length: s.times.length })),
    o.lookback,
    o.horizon,
    o.folds,
    o.step,
  );
  throwIfCancelled(ctx.signal);

  const channelIds = o.channel === undefined ? options.series[0].values.map((_, c) => c) : [o.channel];
  const views: SeriesView[] = options.series.map((s) => ({
    key: s.key,
    times: s.times,
    channels: o.channel === undefined ? s.values : [s.values[o.channel]],
    origins: foldOrigins(s.times.length, o.horizon, o.folds, o.step),
    ...(s.axisTimes ? { axis: s.axisTimes } : {}),
  }));
  for (const v of views)
    checkReadRangesFinite(v.key, v.times, v.channels, channelIds, readRanges(v.origins, o));

  // Every model is created (and checked against lookback and horizon) before any is fitted,
  // so a request that cannot work fails at once rather than after minutes of training.
  const first: Array<Forecaster | undefined> = [];
  const chart = emptyChart(views[o.chartIndex], o, o.channel ?? 0);
  const folds: FoldMetrics[] = [];
  const overall: ModelSummary[] = [];
  try {
    for (const m of options.models) {
      const model = m.create();
      first.push(model);
      checkModelFits(m.name, model, o.lookback, o.horizon);
      if (m.timed) checkTimedModel(m.name, model);
    }
    for (let mi = 0; mi < options.models.length; mi++) {
      const span = scaledProgress(ctx, mi / options.models.length, (mi + 1) / options.models.length);
      const instance = first[mi];
      first[mi] = undefined; // backtestModel owns (and disposes) it from here
      const run = await backtestModel(options.models[mi], instance, views, o, ctx.signal, span, chart);
      folds.push(...run.folds);
      overall.push(run.summary);
    }
  } finally {
    for (const m of first) m?.dispose();
  }
  ctx.progress(1, 'backtest done');

  const series: SeriesPlan[] = views.map((v) => ({ key: v.key, length: v.times.length, origins: v.origins }));
  return {
    settings: {
      models: options.models.map((m) => m.name),
      lookback: o.lookback,
      horizon: o.horizon,
      folds: o.folds,
      step: o.step,
      refit: o.refit,
      seasonality: o.seasonality,
      channel: o.channel ?? 'all',
      series,
    },
    folds,
    overall,
    chart,
  };
}

type Span = (from: number, to: number) => WorkContext['progress'];

async function backtestModel(
  spec: BacktestModel,
  firstInstance: Forecaster | undefined,
  views: SeriesView[],
  o: ResolvedOptions,
  signal: AbortSignal,
  span: Span,
  chart: BacktestChartData,
): Promise<{ folds: FoldMetrics[]; summary: ModelSummary }> {
  const total = new PointErrorAccumulator();
  const stepSe = new Float64Array(o.horizon);
  const stepAe = new Float64Array(o.horizon);
  const stepN = new Float64Array(o.horizon);
  const crps = { sum: 0, n: 0, source: 'point' as CrpsSource };
  const rows: FoldMetrics[][] = views.map(() => []);
  let fitSeconds = 0;
  let predictSeconds = 0;
  let model = firstInstance;
  // Fitting usually costs far more than predicting: give it most of the progress bar.
  const fitShare = o.refit === 'once' ? 0.5 : 0.9 / o.folds;
  const foldShare = o.refit === 'once' ? 0.5 / o.folds : 1 / o.folds;

  try {
    for (let k = 0; k < o.folds; k++) {
      throwIfCancelled(signal);
      const refitNow = k === 0 || o.refit === 'every-fold';
      const trainEnds = views.map((v) => (o.refit === 'once' ? v.origins[0] : v.origins[k]));
      const foldStart = o.refit === 'once' ? fitShare + k * foldShare : k * foldShare;
      if (refitNow) {
        if (!model) model = spec.create();
        const fitFrom = o.refit === 'once' ? 0 : k * foldShare;
        const progress = span(fitFrom, fitFrom + fitShare);
        progress(
          0,
          `${spec.name}: fitting${o.refit === 'every-fold' ? ` for fold ${k + 1}/${o.folds}` : ''}`,
        );
        const keyed = trainingData(views, trainEnds, o);
        const started = Date.now();
        const fitCtx: FitContext = {
          signal,
          progress: (f, msg) => progress(f, msg && `${spec.name}: ${msg}`),
        };
        // A model in its scaling pipeline is fitted as the train job fits it (each series'
        // scale from its own training rows, kept by key); a bare model gets the rows as they are.
        // A timed one reads the times of those rows too.
        if (spec.timed) await fitTimedFold(model, keyed, fitCtx, spec.timed);
        else if (model instanceof ScaledForecaster) await model.fitSeries(keyed, fitCtx);
        else {
          const valid = keyed.filter((s) => s.valid).map((s) => s.valid!);
          await model.fit(
            keyed.map((s) => s.train),
            valid.length ? valid : undefined,
            fitCtx,
          );
        }
        fitSeconds += (Date.now() - started) / 1000;
        throwIfCancelled(signal);
      }
      const fitted = model!;
      const contexts: Series[] = views.map((v) =>
        v.channels.map((ch) => ch.subarray(v.origins[k] - o.lookback, v.origins[k])),
      );
      const started = Date.now();
      // served as a forecast of each series is: scaled by the series' training scale; a timed
      // model's made at the times of the truths it is scored against (the train job's test windows)
      const forecasts = spec.timed
        ? predictTimedFold(
            fitted,
            views.map((v, i) => ({
              key: v.key,
              history: contexts[i],
              times: v.axis!.subarray(v.origins[k] - o.lookback, v.origins[k]),
              future: v.axis!.subarray(v.origins[k], v.origins[k] + o.horizon),
            })),
            o.horizon,
            spec.timed,
          )
        : fitted instanceof ScaledForecaster
          ? fitted.predictSeriesBatch(
              views.map((v, i) => ({ seriesKey: v.key, history: contexts[i], horizon: o.horizon })),
            )
          : fitted.predictBatch(contexts, o.horizon);
      predictSeconds += (Date.now() - started) / 1000;
      checkForecasts(spec.name, forecasts, views, o.horizon);

      views.forEach((v, si) => {
        const origin = v.origins[k];
        const acc = new PointErrorAccumulator();
        let scale = NaN;
        v.channels.forEach((ch, c) => {
          const insample = ch.subarray(0, trainEnds[si]);
          scale = seasonalNaiveScale(insample, o.seasonality);
          const pred = forecasts[si].channel(c);
          crps.source = crpsSource(forecasts[si]);
          for (const v of forecastCrps(forecasts[si], c, ch.subarray(origin, origin + o.horizon)))
            if (!Number.isNaN(v)) {
              crps.sum += v;
              crps.n++;
            }
          for (let h = 0; h < o.horizon; h++) {
            const y = ch[origin + h];
            acc.addPoint(y, pred[h], scale);
            if (Number.isNaN(y)) continue;
            const d = y - pred[h];
            stepSe[h] += d * d;
            stepAe[h] += Math.abs(d);
            stepN[h]++;
          }
        });
        total.merge(acc);
        // With several channels each has its own scale; the row shows the last one's only
        // when there is one channel, since a single number would mislead otherwise.
        rows[si].push({
          model: spec.name,
          series: v.key,
          fold: k,
          origin,
          originTime: v.times[origin],
          trainEnd: trainEnds[si],
          scale: v.channels.length === 1 ? scale : NaN,
          ...acc.result(),
        });
      });
      const cv = views[o.chartIndex];
      const co = cv.origins[k];
      chart.forecasts.push({
        model: spec.name,
        fold: k,
        origin: co,
        times: Array.from(cv.times.subarray(co, co + o.horizon)),
        values: Array.from(forecasts[o.chartIndex].channel(o.channel === undefined ? chart.channel : 0)),
      });

      if (o.refit === 'every-fold') {
        model!.dispose();
        model = undefined;
      }
      span(foldStart, foldStart + foldShare)(1, `${spec.name}: fold ${k + 1}/${o.folds}`);
      // Let timers, I/O and an abort request in between folds.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    model?.dispose();
  }

  const perStep = { mse: [] as number[], mae: [] as number[], count: [] as number[] };
  for (let h = 0; h < o.horizon; h++) {
    perStep.mse.push(stepN[h] ? stepSe[h] / stepN[h] : NaN);
    perStep.mae.push(stepN[h] ? stepAe[h] / stepN[h] : NaN);
    perStep.count.push(stepN[h]);
  }
  return {
    folds: rows.flat(),
    summary: {
      model: spec.name,
      ...total.result(),
      crps: crps.n ? crps.sum / crps.n : NaN,
      crpsFrom: crps.source,
      perStep,
      fitSeconds,
      predictSeconds,
    },
  };
}

/**
 * Training series cut at each series' train end, by key; the last 10% goes to `valid` (and
 * out of `train`, so that it is a true hold-out) when both parts still hold a full window.
 * The times of both parts come with them (empty when the series has no axis times: only a
 * timed model reads them).
 */
function trainingData(views: SeriesView[], trainEnds: number[], o: ResolvedOptions): TimedKeyedSeries[] {
  const window = o.lookback + o.horizon;
  const none = new Float64Array(0);
  return views.map((v, i) => {
    const end = trainEnds[i];
    const validLength = Math.floor(end * VALID_FRACTION);
    const times = (from: number, to: number) => v.axis?.subarray(from, to) ?? none;
    if (validLength >= window && end - validLength >= window)
      return {
        key: v.key,
        train: v.channels.map((ch) => ch.subarray(0, end - validLength)),
        valid: v.channels.map((ch) => ch.subarray(end - validLength, end)),
        trainTimes: times(0, end - validLength),
        validTimes: times(end - validLength, end),
      };
    return { key: v.key, train: v.channels.map((ch) => ch.subarray(0, end)), trainTimes: times(0, end) };
  });
}

/** Index ranges that models read: training data and every fold's context. */
function readRanges(origins: number[], o: ResolvedOptions): Array<[number, number]> {
  const trainEnd = o.refit === 'once' ? origins[0] : origins[origins.length - 1];
  return [[0, trainEnd], ...origins.map((t): [number, number] => [t - o.lookback, t])];
}

function checkForecasts(name: string, forecasts: Forecast[], views: SeriesView[], horizon: number): void {
  const bad =
    forecasts.length !== views.length
      ? `returned ${forecasts.length} forecasts for ${views.length} contexts`
      : forecasts
          .map((f, i) =>
            f.horizon !== horizon || f.channels !== views[i].channels.length
              ? `forecast ${i} has ${f.horizon} steps x ${f.channels} channels`
              : '',
          )
          .find((s) => s);
  if (bad)
    throw new Unprocessable(`Model '${name}' ${bad}; expected ${horizon} steps per channel`, [
      { field: 'models', reason: `model '${name}' returned forecasts of the wrong shape` },
    ]);
}

function emptyChart(v: SeriesView, o: ResolvedOptions, channel: number): BacktestChartData {
  const firstOrigin = v.origins[0];
  const end = v.times.length;
  // Some context before the first origin, at most as much as the backtest span itself.
  const from = Math.max(0, firstOrigin - Math.min(o.lookback, end - firstOrigin));
  const values = v.channels[o.channel === undefined ? channel : 0];
  return {
    series: v.key,
    channel,
    times: Array.from(v.times.subarray(from, end)),
    truth: Array.from(values.subarray(from, end)),
    originTimes: v.origins.map((t) => v.times[t]),
    forecasts: [],
  };
}

/** A progress function for a sub-task that maps its 0..1 onto [from, to] of the whole. */
function scaledProgress(ctx: WorkContext, from: number, to: number): Span {
  return (a: number, b: number) => (fraction: number, message?: string) => {
    const f = Math.min(1, Math.max(0, fraction));
    ctx.progress(from + (to - from) * (a + (b - a) * f), message);
  };
}
