// The TPP evaluation's results: shared by the runner and the table it writes.

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
}

export interface TppEvalResult {
  table: string;
  rows: TppEvalRow[];
  runs: TppEvalRun[];
}
