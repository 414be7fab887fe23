// The TPP evaluation's results: shared by the runner and the table it writes.
import type { TimeUnit } from '@seqcast/events';

/** Mean and standard deviation over seeds. */
export type Stat = { mean: number; std: number };

export interface TppEvalRun {
  dataset: string;
  model: string;
  kind: string;
  seed: number;
  logLikelihood: number;
  rmse: number;
  rmseDraw: number;
  errorRate: number;
  secondsPerEpoch: number;
  /** The median epoch: robust to the first epochs' JIT warm-up and to other load on the machine. */
  medianSecondsPerEpoch: number;
  epochs: number;
  testEvents: number;
  /** Horizon mode: mean OTD and per-type count RMSE of continuations `horizon.events` ahead, over `horizonWindows` test windows. */
  otd?: number;
  countRmse?: number;
  horizonWindows?: number;
}

export interface TppEvalRow {
  dataset: string;
  model: string;
  kind: string;
  seeds: number;
  logLikelihood: Stat;
  gapToTruth?: Stat;
  rmse: Stat;
  rmseDraw: Stat;
  errorRate: Stat;
  secondsPerEpoch: Stat;
  medianSecondsPerEpoch: Stat;
  /** Horizon mode only. */
  otd?: Stat;
  countRmse?: Stat;
  /** The time unit of the dataset's LL per event (and RMSE). */
  unit: TimeUnit;
  /** The sanity gate's findings for a trained model (sanity-gate.ts); empty when it passes. */
  flags: string[];
}

/** A dataset's baselines behind the sanity gate (computed whether or not their rows are shown). */
export interface TppEvalDatasetSummary {
  dataset: string;
  unit: TimeUnit;
  numTypes: number;
  /** Homogeneous Poisson's test LL per event. */
  poissonLogLikelihood: number;
  /** The majority training type and its test error rate. */
  majority: { type: number; errorRate: number };
}

export interface TppEvalResult {
  table: string;
  /** The likelihood window every LL figure covers (LL_WINDOW). */
  window: string;
  datasets: TppEvalDatasetSummary[];
  rows: TppEvalRow[];
  runs: TppEvalRun[];
}
