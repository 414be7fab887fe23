// The evaluation shapes the Evaluations page reads (GET /evaluations, /evaluations/:id and
// /evaluations/:id/result.json), a subset of the OpenAPI document. JSON turns NaN into null.

import type { JobStatus } from '../types';

export type EvaluationKind = 'backtest' | 'tpp' | 'sequences' | 'generation';

export interface EvaluationSummary {
  id: string;
  kind: EvaluationKind;
  status: JobStatus;
  summary: string;
  progress: { fraction: number; message: string | null };
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export type Num = number | null;

/** One model's forecast of one fold of the chart series. */
export interface ChartForecast {
  model: string;
  fold: number;
  times: number[];
  values: Num[];
}

export interface BacktestChart {
  series: string;
  times: number[];
  truth: Num[];
  originTimes: number[];
  forecasts: ChartForecast[];
}

export interface IntervalChartModel {
  model: string;
  times: number[];
  truth: Num[];
  point: Num[];
  lower: Num[];
  upper: Num[];
}

export interface IntervalChart {
  series: string;
  /** Nominal coverage, 1 - alpha. */
  level: number;
  horizon: number;
  rollingOrigins: number;
  models: IntervalChartModel[];
}

/** A backtest's result.json (what the page reads of it). */
export interface BacktestResultJson {
  settings: { models: string[]; horizon: number; folds: number };
  chart?: BacktestChart;
  intervalChart?: IntervalChart;
}

export interface TppStat {
  mean: Num;
  std: Num;
}

export interface TppRow {
  dataset: string;
  model: string;
  kind: string;
  seeds: number;
  logLikelihood: TppStat;
  rmse: TppStat;
  errorRate: TppStat;
  medianSecondsPerEpoch?: TppStat;
  otd?: TppStat;
  countRmse?: TppStat;
  unit?: string;
  flags?: string[];
}

export interface TppResult {
  window?: string;
  rows: TppRow[];
}
