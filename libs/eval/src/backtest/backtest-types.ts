import type { Forecaster } from '@seqcast/forecast';
import type { PointMetrics } from '@seqcast/numeric';

/** A model under test: a fresh, unfitted instance per call of `create`. */
export interface BacktestModel {
  name: string;
  create: () => Forecaster;
  /**
   * Fit and forecast with each step's gap (a 'timed' model, LS4, on unevenly spaced rows):
   * training rows and contexts at their series' `axisTimes`, each fold's horizon at the times
   * of the truths it is scored against, `nominalGap` being dt 1 (as the train job scores its
   * test windows). Unset: rows are read as equally spaced steps.
   */
  timed?: { nominalGap: number };
}

/** One series to backtest: timestamps (UTC ms) and one array per channel, all of one length. */
export interface BacktestSeries {
  key: string;
  times: Float64Array;
  values: Float32Array[];
  /**
   * The time of each row on the time axis the timed models read (steps of the data's
   * frequency, or ms without one; the platform's time-axis.ts); needed when a model is `timed`.
   */
  axisTimes?: Float64Array;
}

export type RefitPolicy = 'once' | 'every-fold';

export interface BacktestOptions {
  models: BacktestModel[];
  series: BacktestSeries[];
  /** Steps of context given to each prediction (the values just before the origin). */
  lookback: number;
  horizon: number;
  folds: number;
  /** Steps between consecutive origins; default `horizon` (folds that tile the tail). */
  step?: number;
  /** 'once' (default): fit on the data before the first origin; 'every-fold': refit before each origin. */
  refit?: RefitPolicy;
  /** Period m of the seasonal-naive scale of MASE; default 1 (naive). */
  seasonality?: number;
  /** Evaluate this channel only (models then see univariate series); default: all channels, pooled. */
  channel?: number;
  /** Key of the series kept for the chart; default the first series. */
  chartSeries?: string;
}

/** Where the folds of one series lie, as 0-based indices into the series. */
export interface SeriesPlan {
  key: string;
  length: number;
  /** Forecast origins, ascending: fold k forecasts indices [origins[k], origins[k] + horizon). */
  origins: number[];
}

/** Measures of one model on one series and fold. */
export interface FoldMetrics extends PointMetrics {
  model: string;
  series: string;
  fold: number;
  /** Index of the first forecast step. */
  origin: number;
  /** Timestamp (UTC ms) of the first forecast step. */
  originTime: number;
  /** The model saw indices [0, trainEnd) of this series in fit (validation part included). */
  trainEnd: number;
  /** The MASE denominator used for this fold (NaN: undefined). */
  scale: number;
}

/** A model's pooled measures over every series, fold and forecast point. */
export interface ModelSummary extends PointMetrics {
  model: string;
  /**
   * Mean CRPS over every forecast point (data units): exact over the sample paths of a
   * probabilistic model, from its quantiles when it stores only those, and the MAE for a
   * point forecast (`crpsFrom` says which).
   */
  crps: number;
  crpsFrom: 'samples' | 'quantiles' | 'point';
  /** Per horizon step h = 1..horizon (index h-1): pooled over series, folds (and channels). */
  perStep: { mse: number[]; mae: number[]; count: number[] };
  fitSeconds: number;
  predictSeconds: number;
}

/** One model's forecast of one fold of the chart series. */
export interface ChartForecast {
  model: string;
  fold: number;
  origin: number;
  times: number[];
  values: number[];
}

/** What a chart of forecasts against truth needs, for one series and channel. */
export interface BacktestChartData {
  series: string;
  channel: number;
  /** Truth from a little before the first origin to the end of the series (NaN kept as gaps). */
  times: number[];
  truth: number[];
  /** Timestamps of the forecast origins (first forecast steps). */
  originTimes: number[];
  forecasts: ChartForecast[];
}

export interface BacktestSettings {
  models: string[];
  lookback: number;
  horizon: number;
  folds: number;
  step: number;
  refit: RefitPolicy;
  seasonality: number;
  channel: number | 'all';
  series: SeriesPlan[];
}

/** Everything a backtest produced. Plain data (NaN serialises as null in JSON). */
export interface BacktestResult {
  settings: BacktestSettings;
  /** One row per model x series x fold, in that nesting order. */
  folds: FoldMetrics[];
  /** One row per model, in the order of `options.models`. */
  overall: ModelSummary[];
  chart: BacktestChartData;
}
